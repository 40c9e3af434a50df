import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { EventsHandler, type IEventHandler } from '@nestjs/cqrs';
import { DatabaseNotifications } from '../database/database-notifications.js';
import { BulletinDispatchedEvent } from '../dispatch/bulletin-dispatched.event.js';
import { OUTCOME_CHANNEL } from '../dispatch/dispatch-queue.js';

/**
 * Lets a request wait for the first attempt on its event, whichever gateway process makes it: this
 * process tells it through the EventBus, others through NOTIFY. A wait that times out only means the
 * caller answers 202; the event itself is safe in the log.
 */
@Injectable()
export class OutcomeWaiter implements OnModuleInit, OnModuleDestroy {
  private readonly waiting = new Map<string, Set<() => void>>();
  private unsubscribe?: () => void;

  constructor(private readonly notifications: DatabaseNotifications) {}

  onModuleInit(): void {
    this.unsubscribe = this.notifications.on(OUTCOME_CHANNEL, (eventId) => this.notify(eventId));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /**
   * Resolves true when an attempt on the event is recorded, false after `timeoutMs`. Subscribe before
   * checking the database, so an attempt that lands in between is not missed.
   */
  waitForAttempt(eventId: string, timeoutMs: number): { done: Promise<boolean>; cancel: () => void } {
    let cancel = () => undefined as void;
    const done = new Promise<boolean>((resolve) => {
      const wake = () => finish(true);
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (attempted: boolean) => {
        clearTimeout(timer);
        this.waiting.get(eventId)?.delete(wake);
        if (this.waiting.get(eventId)?.size === 0) this.waiting.delete(eventId);
        resolve(attempted);
      };
      cancel = () => finish(false);
      if (!this.waiting.has(eventId)) this.waiting.set(eventId, new Set());
      this.waiting.get(eventId)!.add(wake);
    });
    return { done, cancel };
  }

  notify(eventId: string): void {
    for (const wake of this.waiting.get(eventId) ?? []) wake();
  }
}

@EventsHandler(BulletinDispatchedEvent)
export class WakeWaitingRequests implements IEventHandler<BulletinDispatchedEvent> {
  constructor(private readonly waiter: OutcomeWaiter) {}

  handle(event: BulletinDispatchedEvent): void {
    this.waiter.notify(event.eventId);
  }
}
