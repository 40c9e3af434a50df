/** Published in-process once an event has committed, so this process's dispatcher starts at once. */
export class BulletinAcceptedEvent {
  constructor(
    readonly eventId: string,
    readonly accountId: string,
  ) {}
}
