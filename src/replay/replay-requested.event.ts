/** Published after a replay has re-queued its events, so this process's dispatcher starts at once. */
export class ReplayRequestedEvent {
  constructor(readonly replayId: string) {}
}
