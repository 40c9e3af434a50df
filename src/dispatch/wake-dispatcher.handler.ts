import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { BulletinAcceptedEvent } from '../ingest/bulletin-accepted.event.js';
import { Dispatcher } from './dispatcher.service.js';

/** A freshly accepted event is dispatched by this process at once; NOTIFY tells the others. */
@EventsHandler(BulletinAcceptedEvent)
export class WakeDispatcherOnAccept implements IEventHandler<BulletinAcceptedEvent> {
  constructor(private readonly dispatcher: Dispatcher) {}

  handle(event: BulletinAcceptedEvent): void {
    this.dispatcher.wake(event.accountId);
  }
}
