/** The states an event moves through; the current one is a projection of the log. */
export type EventStatus = 'queued' | 'retrying' | 'sent' | 'failed' | 'exhausted' | 'uncertain';

export const EVENT_STATUSES: readonly EventStatus[] = ['queued', 'retrying', 'sent', 'failed', 'exhausted', 'uncertain'];

/** States in which the dispatcher will still act on its own. */
export const PENDING_STATUSES: readonly EventStatus[] = ['queued', 'retrying'];

export const isFinal = (status: EventStatus) => !PENDING_STATUSES.includes(status);

/** How one upstream attempt ended, before it is turned into the event's next status. */
export type AttemptOutcome = 'sent' | 'failed' | 'transient' | 'uncertain' | 'credentials_rejected';

export type AttemptTrigger = 'auto' | 'retry' | 'replay';
