import type { EventStatus } from '../event-log/event-status.js';

/** Published in-process after an attempt is committed, to wake whoever waits for this event. */
export class BulletinDispatchedEvent {
  constructor(
    readonly eventId: string,
    readonly status: EventStatus,
  ) {}
}
