import { Command } from '@nestjs/cqrs';
import type { ClaimedEvent } from './dispatch-queue.js';

/** Send one claimed event to CleverTap and append what happened. */
export class DispatchBulletinCommand extends Command<void> {
  constructor(
    readonly event: ClaimedEvent,
    readonly leaseOwner: string,
    /** This attempt tests whether an open circuit may close. */
    readonly probe: boolean,
  ) {
    super();
  }
}
