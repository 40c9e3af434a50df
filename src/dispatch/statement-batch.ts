interface Pending<TItem, TResult> {
  item: TItem;
  resolve: (result: TResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Items submitted in the same turn of the event loop (and those that arrive while `maxInFlight`
 * statements run) are written by one statement. Unlike ingest's group commit, the first item waits for
 * the end of the current turn: a slot submits its answer's record and its next event's start back to
 * back, and they should share a round trip.
 */
export class StatementBatch<TItem, TResult> {
  private waiting: Pending<TItem, TResult>[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(
    private readonly write: (items: TItem[]) => Promise<TResult[]>,
    private readonly options: { maxBatch: number; maxInFlight: number },
  ) {}

  submit(item: TItem): Promise<TResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatch);
      this.inFlight++;
      void this.writeBatch(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async writeBatch(batch: Pending<TItem, TResult>[]): Promise<void> {
    try {
      const results = await this.write(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => pending.resolve(results[index]));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}
