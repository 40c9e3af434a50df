interface Pending<TItem, TResult> {
  item: TItem;
  resolve: (result: TResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: concurrent callers' items are written together, one statement and one WAL flush per
 * batch, and each caller is answered only after that batch has committed. No timer: the first item
 * goes at once; items that arrive while `maxInFlight` batches are being written wait and form the next
 * batch. So a lone request pays no delay and a busy gateway pays one commit per batch, not per event.
 */
export class GroupCommit<TItem, TResult> {
  private waiting: Pending<TItem, TResult>[] = [];
  private inFlight = 0;

  constructor(
    private readonly write: (items: TItem[]) => Promise<TResult[]>,
    private readonly options: {
      maxBatch: number;
      maxInFlight: number;
      /**
       * Whether a failed batch's items are written again one at a time, so one bad item fails alone and
       * the others are answered as if it had not been there. For failures caused by an item's content;
       * not for an unreachable database, where it would only multiply the failed statements.
       */
      retryAlone?: (error: unknown) => boolean;
      /**
       * Whether the first item waits for the end of the current event-loop turn, so that items
       * submitted back to back (a dispatch slot's answer and its next start) share one statement.
       */
      gatherTurn?: boolean;
    },
  ) {}

  private scheduled = false;

  submit(item: TItem): Promise<TResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.options.gatherTurn) return this.flush();
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
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
      if (batch.length > 1 && this.options.retryAlone?.(error)) await Promise.all(batch.map((pending) => this.writeBatch([pending])));
      else for (const pending of batch) pending.reject(error);
    }
  }
}

/**
 * SQLSTATE classes 22 (data exception: a NUL in text, an unencodable character, a bad cast) and 23
 * (integrity constraint violation) blame a row, not the database: a batch failing so is worth retrying
 * row by row (the `retryAlone` option).
 */
export function isCausedByRow(error: unknown): boolean {
  const code = (error as { driverError?: { code?: unknown }; code?: unknown })?.driverError?.code ?? (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^2[23]/.test(code);
}
