import { Command } from '@nestjs/cqrs';
import type { Principal } from '../access/principal.js';

/** What the partner is told: an HTTP status, CleverTap's body shape and any extra headers. */
export interface TriggerReply {
  httpStatus: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

/** Record a partner's Bulletins request, dispatch it, and answer as CleverTap would (or 202). */
export class TriggerBulletinCommand extends Command<TriggerReply> {
  constructor(
    readonly principal: Principal,
    readonly accountId: string | undefined,
    readonly body: unknown,
    readonly requestId: string,
    readonly idempotencyKey: string | undefined,
    readonly respondAsync: boolean,
  ) {
    super();
  }
}
