import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Sends NOTIFY wake-ups just after the writes they announce have committed, all those of one moment in
 * one statement.
 *
 * Not inside the writing transaction: Postgres serialises the commits of all transactions that notify
 * (a database-wide lock, held through the commit's WAL flush). Under load, ingest batches and attempt
 * records queued behind each other on it (pg_stat_activity showed them waiting on `Lock:object`).
 * A notification only makes other processes act sooner (they poll too), so a process dying between
 * the commit and the NOTIFY delays work by one poll at most; it never loses any.
 */
@Injectable()
export class NotificationSender {
  private readonly logger = new Logger(NotificationSender.name);
  private pending = new Map<string, Set<string>>();
  private flushing = false;

  constructor(private readonly db: DataSource) {}

  /** Queues a notification; it goes out within one round trip, with any others queued meanwhile. */
  send(channel: string, payload: string): void {
    let payloads = this.pending.get(channel);
    if (!payloads) this.pending.set(channel, (payloads = new Set()));
    payloads.add(payload);
    if (!this.flushing) {
      this.flushing = true;
      setImmediate(() => void this.flush());
    }
  }

  private async flush(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = [...this.pending].flatMap(([channel, payloads]) => [...payloads].map((payload) => [channel, payload]));
      this.pending = new Map();
      await this.db
        .query('SELECT count(pg_notify(channel, payload)) FROM unnest($1::text[], $2::text[]) AS n(channel, payload)', [
          batch.map(([channel]) => channel),
          batch.map(([, payload]) => payload),
        ])
        .catch((error) => this.logger.warn(`${batch.length} wake-ups not sent (other processes will find the work when they poll): ${(error as Error).message}`));
    }
    this.flushing = false;
  }
}
