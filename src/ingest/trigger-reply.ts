import type { CurrentOutcome } from '../event-log/event-log.repository.js';
import type { TriggerReply } from './trigger-bulletin.command.js';

export const REPLAYED_HEADER = 'Idempotent-Replayed';

export function queuedReply(eventId: string, headers: Record<string, string> = {}): TriggerReply {
  return { httpStatus: 202, body: { status: 'queued', event_id: eventId }, headers };
}

/** Relays CleverTap's answer as CleverTap gave it, plus the event id; 202 while there is none yet. */
export function replyForOutcome(outcome: CurrentOutcome, headers: Record<string, string> = {}): TriggerReply {
  const event_id = outcome.eventId;
  switch (outcome.status) {
    case 'sent':
      return { httpStatus: 200, body: { status: 'success', targets: outcome.targets ?? 0, event_id }, headers };
    case 'failed': {
      const httpStatus = outcome.httpStatus ?? 400;
      const code = Number(outcome.errorCode) || httpStatus;
      return { httpStatus, body: { status: outcome.clevertapStatus ?? 'fail', error: outcome.error, code, event_id }, headers };
    }
    case 'uncertain':
      return {
        httpStatus: 202,
        body: {
          status: 'uncertain',
          error: 'CleverTap did not answer in time: the bulletin may or may not have been raised. It is not resent automatically.',
          event_id,
        },
        headers,
      };
    case 'exhausted':
      return {
        httpStatus: 502,
        body: { status: 'fail', error: `CleverTap could not be reached after ${outcome.attempts} attempts`, code: 502, event_id },
        headers,
      };
    default:
      return queuedReply(event_id, headers);
  }
}
