import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { BulletinAcceptedEvent } from '../ingest/bulletin-accepted.event.js';
import { ReplayRequestedEvent } from '../replay/replay-requested.event.js';
import { Dispatcher } from './dispatcher.service.js';

/** Work appended by this process is dispatched by it at once; NOTIFY tells the other processes. */
@EventsHandler(BulletinAcceptedEvent, ReplayRequestedEvent)
export class WakeDispatcher implements IEventHandler<BulletinAcceptedEvent | ReplayRequestedEvent> {
  constructor(private readonly dispatcher: Dispatcher) {}

  handle(event: BulletinAcceptedEvent | ReplayRequestedEvent): void {
    if (event instanceof BulletinAcceptedEvent) this.dispatcher.wake(event.accountId);
    else void this.dispatcher.wakeDue();
  }
}
