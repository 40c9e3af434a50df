import { Inject } from '@nestjs/common';
import { CommandHandler, EventBus, type ICommandHandler } from '@nestjs/cqrs';
import { RejectionLog } from '../rejections/rejection-log.js';
import { payloadSha256 as payloadSha256Of } from '../transparency/leaf.js';
import { signReceipt } from '../transparency/receipt.js';
import { GatewayError } from '../common/gateway.error.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { BulletinPayload } from '../event-log/bulletin-payload.js';
import { type AppendResult, EventLogRepository, type IdempotentMatch, type NewEvent } from '../event-log/event-log.repository.js';
import { isSafeHeaderToken } from '../common/header-tokens.js';
import { secretScrubber } from '../common/secret-scrubber.js';
import { isFinal } from '../event-log/event-status.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { BulletinAcceptedEvent } from './bulletin-accepted.event.js';
import { OutcomeWaiter } from './outcome-waiter.js';
import { TriggerBulletinCommand, type TriggerReply } from './trigger-bulletin.command.js';
import { queuedReply, REPLAYED_HEADER, replyForOutcome } from './trigger-reply.js';
import { validateBulletin } from './validate-bulletin.js';
import { ingestTraceparent } from '../tracing/event-tracing.js';

@CommandHandler(TriggerBulletinCommand)
export class TriggerBulletinHandler implements ICommandHandler<TriggerBulletinCommand> {
  private readonly configuredAccounts: Set<string>;
  private readonly scrub: (text: string) => string;

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    private readonly eventLog: EventLogRepository,
    private readonly waiter: OutcomeWaiter,
    private readonly eventBus: EventBus,
    private readonly rejections: RejectionLog,
    private readonly metrics: GatewayMetrics,
  ) {
    this.configuredAccounts = new Set(config.accounts.map((account) => account.id));
    this.scrub = secretScrubber(config);
  }

  async execute(command: TriggerBulletinCommand): Promise<TriggerReply> {
    const accountId = this.permittedAccount(command);
    const payload = await this.validOrRejected(command, accountId);
    const payloadSha256 = payloadSha256Of(payload);
    const appended = await this.appendedOrRejected(command, accountId, {
      partnerId: command.principal.partnerId,
      accountId,
      payload,
      payloadSha256,
      idempotencyKey: command.idempotencyKey,
      requestId: command.requestId,
      traceparent: ingestTraceparent({ partnerId: command.principal.partnerId, accountId, businessEvent: payload.business_event }),
    });
    if (!appended.appended) {
      const { existing } = appended;
      return this.withReceipt(await this.replayStoredOutcome(existing, payloadSha256), existing);
    }
    this.metrics.eventAccepted(accountId);
    return this.withReceipt(await this.replyOnceSent(command, accountId, appended.eventId), { ...appended, payloadSha256 });
  }

  private async replyOnceSent(command: TriggerBulletinCommand, accountId: string, eventId: string): Promise<TriggerReply> {
    const waitMs = this.config.dispatch.syncWaitMs;
    if (command.respondAsync || waitMs === 0) {
      this.eventBus.publish(new BulletinAcceptedEvent(eventId, accountId));
      return queuedReply(eventId);
    }
    // Subscribe before the dispatcher is woken, so its answer cannot slip past.
    const wait = this.waiter.waitForAttempt(eventId, waitMs);
    this.eventBus.publish(new BulletinAcceptedEvent(eventId, accountId));
    await wait.done;
    const outcome = await this.eventLog.currentOutcome(eventId);
    return outcome ? replyForOutcome(outcome) : queuedReply(eventId);
  }

  /**
   * Every answer about a stored event carries the log's signed promise that it is in the log with this
   * payload (docs/audit-format.md §8), which the partner can later redeem with the event's proof.
   */
  private withReceipt(reply: TriggerReply, stored: { eventId: string; payloadSha256: string; receivedAt: Date }): TriggerReply {
    const { signer, origin } = this.config.auditLog;
    if (!signer) return reply;
    const receipt = signReceipt({ origin, eventId: stored.eventId, payloadSha256: stored.payloadSha256, receivedAt: stored.receivedAt }, signer);
    return { ...reply, body: { ...reply.body, receipt } };
  }

  /** An event Postgres refused after validation passed is refused, and logged, like any invalid body. */
  private async appendedOrRejected(command: TriggerBulletinCommand, accountId: string, event: NewEvent): Promise<AppendResult> {
    try {
      return await this.eventLog.append(event);
    } catch (error) {
      if (error instanceof GatewayError)
        await this.rejections.record({ partnerId: command.principal.partnerId, accountId, error, body: command.body, requestId: command.requestId });
      throw error;
    }
  }

  /** A refused body from an authenticated partner is itself a fact worth keeping: it is logged, then refused. */
  private async validOrRejected(command: TriggerBulletinCommand, accountId: string): Promise<BulletinPayload> {
    try {
      const payload = validateBulletin(command.body);
      this.refuseSecrets(payload);
      return payload;
    } catch (error) {
      if (error instanceof GatewayError)
        await this.rejections.record({
          partnerId: command.principal.partnerId,
          accountId,
          error,
          body: command.body,
          requestId: command.requestId,
        });
      throw error;
    }
  }

  /**
   * A key or passcode pasted into a bulletin would be stored for good, exported, and sent to CleverTap
   * to show to users: the bulletin is refused instead, naming the field but not the secret.
   */
  private refuseSecrets(payload: BulletinPayload): void {
    const fields: [string, string][] = [
      ['business_event', payload.business_event],
      ['name', payload.name],
      ['c-by', payload['c-by']],
      ...Object.entries(payload.properties).flatMap(([key, value]): [string, string][] => [
        ['a key of properties', key],
        [`properties.${key}`, value],
      ]),
    ];
    const holder = fields.find(([, text]) => typeof text === 'string' && this.scrub(text) !== text);
    if (holder)
      throw new GatewayError('secret_in_bulletin', 400, `${holder[0]} holds a gateway key or CleverTap passcode: the bulletin was not accepted (rotate that key)`);
  }

  private permittedAccount({ principal, accountId }: TriggerBulletinCommand): string {
    if (!accountId)
      throw new GatewayError('account_missing', 401, 'X-CleverTap-Account-Id is required: the CleverTap account to use');
    if (principal.role !== 'partner')
      throw new GatewayError('forbidden', 403, `A ${principal.role} key cannot raise bulletins; use a partner key`);
    // Named back only when it may be copied (a key pasted into this header must not come back).
    const named = isSafeHeaderToken(accountId, this.scrub);
    const shown = named ? `account ${accountId}` : 'the account in X-CleverTap-Account-Id';
    if (!principal.accounts.includes(accountId))
      throw new GatewayError('forbidden', 403, `This gateway key may not raise bulletins on ${shown}`);
    if (!this.configuredAccounts.has(accountId))
      throw new GatewayError('account_not_configured', 403, `${named ? `Account ${accountId}` : 'The account in X-CleverTap-Account-Id'} is not configured on this gateway`);
    return accountId;
  }

  /** Idempotency-Key semantics of draft-ietf-httpapi-idempotency-key-header. */
  private async replayStoredOutcome(match: IdempotentMatch, payloadSha256: string): Promise<TriggerReply> {
    if (match.payloadSha256 !== payloadSha256)
      throw new GatewayError(
        'idempotency_key_reused',
        422,
        'This Idempotency-Key was already used with a different request body; use a new key for a new bulletin',
      );
    const outcome = await this.eventLog.currentOutcome(match.eventId);
    const replayed = { [REPLAYED_HEADER]: 'true' };
    if (outcome && isFinal(outcome.status)) return replyForOutcome(outcome, replayed);
    const firstRequestMayStillWait = Date.now() - match.receivedAt.getTime() < this.config.dispatch.syncWaitMs;
    if (firstRequestMayStillWait)
      throw new GatewayError(
        'idempotency_key_in_progress',
        409,
        'A request with this Idempotency-Key is still being processed; retry shortly to get its outcome',
      );
    return queuedReply(match.eventId, replayed);
  }
}
