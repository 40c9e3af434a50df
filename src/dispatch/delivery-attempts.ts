import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { CleverTapAccount, GatewayConfig } from '../config/gateway-config.js';
import { EventLogRepository } from '../event-log/event-log.repository.js';
import type { AttemptOutcome, AttemptTrigger } from '../event-log/event-status.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { AccountCircuit } from './account-circuit.js';
import { type AttemptVerdict, judgeUpstreamResult, nextStep } from './attempt-verdict.js';
import { BulletinDispatchedEvent } from './bulletin-dispatched.event.js';
import { CleverTapClient } from './clevertap-client.js';
import type { ClaimedEvent } from './dispatch-queue.js';

const RECORD_RETRY_MS = 500;
const UNIQUE_VIOLATION = '23505';

/**
 * One attempt in motion. `answered` settles as soon as CleverTap has answered (or failed to), before
 * the outcome is written, so the account's slot may carry its next request while `recorded` runs.
 */
export interface AttemptRun {
  answered: Promise<AttemptOutcome>;
  recorded: Promise<void>;
}

/** Sends one started event to CleverTap and appends what happened. */
@Injectable()
export class DeliveryAttempts {
  private readonly logger = new Logger(DeliveryAttempts.name);
  private readonly accounts: Map<string, CleverTapAccount>;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly client: CleverTapClient,
    private readonly eventLog: EventLogRepository,
    private readonly circuit: AccountCircuit,
    private readonly eventBus: EventBus,
    private readonly metrics: GatewayMetrics,
  ) {
    this.accounts = new Map(config.accounts.map((account) => [account.id, account]));
  }

  /** `probe`: this attempt tests whether an open circuit may close. */
  run(event: ClaimedEvent, leaseOwner: string, probe: boolean): AttemptRun {
    const startedAt = new Date();
    const attempted = this.attempt(event);
    const answered = attempted.then(({ verdict }) => verdict.outcome);
    const recorded = attempted.then(({ verdict, latencyMs }) => this.record(event, leaseOwner, probe, verdict, startedAt, latencyMs));
    recorded.catch(() => undefined); // the caller awaits it; until then it is not an unhandled rejection
    return { answered, recorded };
  }

  private async record(
    event: ClaimedEvent,
    leaseOwner: string,
    probe: boolean,
    verdict: AttemptVerdict,
    startedAt: Date,
    latencyMs: number,
  ): Promise<void> {
    const step = nextStep(verdict, event.transientFailures, this.config.dispatch);
    await this.recordDespiteOutage(startedAt, () =>
      this.eventLog.recordAttempt(
        {
          eventId: event.eventId,
          attemptNumber: event.attempts + 1,
          trigger: triggerOf(event),
          replayId: event.nextTrigger === 'replay' ? event.replayId : null,
          ...verdict,
          resultingStatus: step.status,
          nextAttemptAt: step.nextAttemptAt,
          transientFailures: step.transientFailures,
          startedAt,
          latencyMs,
        },
        leaseOwner,
      ),
    );
    this.metrics.attemptRecorded(event.accountId, verdict.outcome, step.status);
    if (!event.abandonedByDeadProcess) await this.circuit.record(event.accountId, verdict.outcome, probe);
    else if (probe) await this.circuit.releaseProbe(event.accountId);
    this.eventBus.publish(new BulletinDispatchedEvent(event.eventId, step.status));
  }

  /**
   * CleverTap has answered; losing that answer to a database blip would turn a known outcome into an
   * uncertain one. So keep trying to record it while the lease is ours. A retry after a commit whose
   * acknowledgement was lost finds its own row (unique attempt number) and stops.
   */
  private async recordDespiteOutage(startedAt: Date, record: () => Promise<void>): Promise<void> {
    const deadline = startedAt.getTime() + this.config.dispatch.leaseMs - RECORD_RETRY_MS;
    for (;;) {
      try {
        return await record();
      } catch (error) {
        if ((error as { driverError?: { code?: string } }).driverError?.code === UNIQUE_VIOLATION) return;
        if (Date.now() > deadline) throw error;
        this.logger.warn(`could not record an attempt (${(error as Error).message}); retrying`);
        await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS));
      }
    }
  }

  private async attempt(event: ClaimedEvent): Promise<{ verdict: AttemptVerdict; latencyMs: number }> {
    if (event.abandonedByDeadProcess) {
      // Resending could notify users twice; the uncertain policy decides, as for a timeout.
      return {
        verdict: {
          outcome: 'uncertain',
          error: 'The gateway process sending this event stopped before recording CleverTap\'s answer',
          errorCode: 'ABANDONED_ATTEMPT',
        },
        latencyMs: 0,
      };
    }
    const account = this.accounts.get(event.accountId);
    if (!account) {
      this.logger.error(`account ${event.accountId} has an event queued but no configuration in this process`);
      return {
        verdict: { outcome: 'transient', error: `Account ${event.accountId} is not configured`, errorCode: 'ACCOUNT_NOT_CONFIGURED' },
        latencyMs: 0,
      };
    }
    const upstreamFinished = this.metrics.upstreamStarted(account.id);
    const result = await this.client.trigger(account, event.payload);
    upstreamFinished(result);
    return { verdict: judgeUpstreamResult(result, this.config.dispatch.upstreamTimeoutMs), latencyMs: result.latencyMs };
  }
}

function triggerOf(event: ClaimedEvent): AttemptTrigger {
  return event.nextTrigger ?? (event.attempts === 0 ? 'auto' : 'retry');
}
