import { Inject, Injectable, Logger } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { CleverTapAccount, GatewayConfig } from '../config/gateway-config.js';
import type { AttemptOutcome, AttemptTrigger } from '../event-log/event-status.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { AccountCircuit } from './account-circuit.js';
import { type AttemptVerdict, judgeUpstreamResult, nextStep } from './attempt-verdict.js';
import { BulletinDispatchedEvent } from './bulletin-dispatched.event.js';
import { CleverTapClient } from './clevertap-client.js';
import { type ClaimedEvent, DispatchQueue } from './dispatch-queue.js';
import { noteAttemptVerdict, tracedDispatch } from '../tracing/event-tracing.js';
import { inSpan, tracingOn } from '../tracing/tracing.js';

const RECORD_RETRY_MS = 500;
const AWAITED_MARGIN_MS = 5000;

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
    private readonly queue: DispatchQueue,
    private readonly circuit: AccountCircuit,
    private readonly eventBus: EventBus,
    private readonly metrics: GatewayMetrics,
  ) {
    this.accounts = new Map(config.accounts.map((account) => [account.id, account]));
  }

  /**
   * `probe`: this attempt tests whether an open circuit may close. Traced, the attempt is a span of its
   * own linked to the event's ingest span; it ends once the attempt is recorded.
   */
  run(event: ClaimedEvent, probe: boolean): AttemptRun {
    if (!tracingOn()) return this.runAttempt(event, probe);
    const facts = {
      eventId: event.eventId,
      partnerId: event.partnerId,
      accountId: event.accountId,
      lane: event.lane,
      attemptNumber: event.attempts + 1,
      trigger: triggerOf(event),
      traceparent: event.traceparent,
    };
    return tracedDispatch(facts, () => this.runAttempt(event, probe), (run) => run.recorded);
  }

  private runAttempt(event: ClaimedEvent, probe: boolean): AttemptRun {
    const startedAt = new Date();
    if (event.attempts === 0 && !event.abandonedByDeadProcess)
      this.metrics.firstAttemptStarted(event.accountId, event.partnerId, (startedAt.getTime() - event.receivedAt.getTime()) / 1000);
    const attempted = this.attempt(event);
    const answered = attempted.then(({ verdict }) => verdict.outcome);
    const recorded = attempted.then(({ verdict, latencyMs }) => this.record(event, probe, verdict, startedAt, latencyMs));
    recorded.catch(() => undefined); // the caller awaits it; until then it is not an unhandled rejection
    return { answered, recorded };
  }

  private async record(
    event: ClaimedEvent,
    probe: boolean,
    verdict: AttemptVerdict,
    startedAt: Date,
    latencyMs: number,
  ): Promise<void> {
    const step = nextStep(verdict, event.transientFailures, this.config.dispatch);
    const answeredByCleverTap = verdict.outcome === 'sent' || verdict.outcome === 'failed';
    noteAttemptVerdict(() => verdictAttributes(verdict, step.status));
    await this.recordDespiteOutage(startedAt, () =>
      inSpan('dispatch record', () => ({ 'bulletin.event_id': event.eventId, 'bulletin.attempt_number': event.attempts + 1 }), () =>
        this.queue.record({
          eventId: event.eventId,
          accountId: event.accountId,
          attemptNumber: event.attempts + 1,
          trigger: triggerOf(event),
          replayId: event.nextTrigger === 'replay' ? event.replayId : null,
          ...verdict,
          resultingStatus: step.status,
          nextAttemptAt: step.nextAttemptAt,
          transientFailures: step.transientFailures,
          startedAt,
          latencyMs,
          closesCircuit: answeredByCleverTap && !event.abandonedByDeadProcess,
          awaited: this.mayBeAwaited(event),
        }),
      ),
    );
    this.metrics.attemptRecorded(event.accountId, verdict.outcome, step.status);
    // A success closes the circuit in the record's own statement; what may open it is recorded here.
    if (event.abandonedByDeadProcess) {
      if (probe) await this.circuit.releaseProbe(event.accountId);
    } else if (!answeredByCleverTap) await this.circuit.record(event.accountId, verdict.outcome, probe);
    this.eventBus.publish(new BulletinDispatchedEvent(event.eventId, step.status));
  }

  /**
   * A synchronous ingest request waits for its event's first attempt, for at most SYNC_WAIT_MS after
   * the event was received; any other outcome has nobody to wake. (The margin covers the clocks of the
   * gateway and the database.)
   */
  private mayBeAwaited(event: ClaimedEvent): boolean {
    const { syncWaitMs } = this.config.dispatch;
    return event.attempts === 0 && syncWaitMs > 0 && Date.now() - event.receivedAt.getTime() < syncWaitMs + AWAITED_MARGIN_MS;
  }

  /**
   * CleverTap has answered; losing that answer to a database blip would turn a known outcome into an
   * uncertain one. So keep trying to record it while the lease is ours. A retry after a commit whose
   * acknowledgement was lost finds its own row (unique attempt number) and writes nothing.
   */
  private async recordDespiteOutage(startedAt: Date, record: () => Promise<unknown>): Promise<void> {
    const deadline = startedAt.getTime() + this.config.dispatch.leaseMs - RECORD_RETRY_MS;
    for (;;) {
      try {
        await record();
        return;
      } catch (error) {
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
    const result = await this.client.trigger(account, event.payloadJson);
    upstreamFinished(result);
    return { verdict: judgeUpstreamResult(result, this.config.dispatch.upstreamTimeoutMs), latencyMs: result.latencyMs };
  }
}

function triggerOf(event: ClaimedEvent): AttemptTrigger {
  return event.nextTrigger ?? (event.attempts === 0 ? 'auto' : 'retry');
}

/** What a dispatch span says of the attempt's result: CleverTap's status only when it is a plain word. */
function verdictAttributes(verdict: AttemptVerdict, resultingStatus: string): Record<string, string | number> {
  return {
    'bulletin.outcome': verdict.outcome,
    'bulletin.resulting_status': resultingStatus,
    ...(verdict.httpStatus !== undefined ? { 'http.response.status_code': verdict.httpStatus } : {}),
    ...(verdict.clevertapStatus !== undefined && /^[A-Za-z_-]{1,32}$/.test(verdict.clevertapStatus)
      ? { 'bulletin.clevertap_status': verdict.clevertapStatus }
      : {}),
    ...(verdict.errorCode !== undefined && /^[\w.-]{1,64}$/.test(verdict.errorCode) ? { 'error.type': verdict.errorCode } : {}),
  };
}
