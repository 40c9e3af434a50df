import { Command } from '@nestjs/cqrs';
import type { AttemptOutcome } from '../event-log/event-status.js';
import type { ClaimedEvent } from './dispatch-queue.js';

/** Send one claimed event to CleverTap and append what happened. */
export class DispatchBulletinCommand extends Command<void> {
  constructor(
    readonly event: ClaimedEvent,
    readonly leaseOwner: string,
    /** This attempt tests whether an open circuit may close. */
    readonly probe: boolean,
    /**
     * Called as soon as CleverTap has answered (or failed to), before the outcome is recorded: the
     * account's slot may then carry the next request while this one's outcome is written.
     */
    readonly upstreamDone: (outcome: AttemptOutcome) => void = () => undefined,
  ) {
    super();
  }
}
