import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { RejectionLog } from '../rejections/rejection-log.js';
import type { Refusal } from './partner-limiter.js';

const FLUSH_MS = 1000;

interface Tally {
  partnerId: string;
  accountId?: string;
  reason: Refusal;
  count: number;
  firstRequestId: string;
  since: Date;
}

/**
 * Refusals for rate or quota are counted, not logged one by one: each second, one rejection-log row
 * (and one log line) per partner, account and reason, with the count. So a flood costs the append-only
 * log at most one row per partner per second and process, however many requests it sends. The timer
 * runs only while there are refusals to write.
 */
@Injectable()
export class RefusalTally implements OnApplicationShutdown {
  private readonly logger = new Logger(RefusalTally.name);
  private tallies = new Map<string, Tally>();
  private timer?: NodeJS.Timeout;

  constructor(private readonly rejections: RejectionLog) {}

  count(partnerId: string, accountId: string | undefined, reason: Refusal, requestId: string): void {
    const key = `${partnerId}\u0000${accountId ?? ''}\u0000${reason}`;
    const tally = this.tallies.get(key);
    if (tally) tally.count++;
    else this.tallies.set(key, { partnerId, accountId, reason, count: 1, firstRequestId: requestId, since: new Date() });
    this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS).unref();
  }

  async flush(): Promise<void> {
    this.timer = undefined;
    const tallies = [...this.tallies.values()];
    this.tallies = new Map();
    for (const tally of tallies) {
      const what = tally.reason === 'rate_limited' ? 'over its rate limit' : 'over its backlog quota';
      this.logger.warn(`partner ${tally.partnerId}: ${tally.count} request(s) refused ${what} since ${tally.since.toISOString()}`);
      await this.rejections
        .recordAggregate({
          partnerId: tally.partnerId,
          accountId: tally.accountId,
          code: tally.reason,
          reason: `${tally.count} request(s) refused ${what} in the second from ${tally.since.toISOString()}`,
          httpStatus: 429,
          requestId: tally.firstRequestId,
        })
        .catch((error) => this.logger.warn(`refusals of partner ${tally.partnerId} not logged: ${(error as Error).message}`));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearTimeout(this.timer);
    await this.flush();
  }
}
