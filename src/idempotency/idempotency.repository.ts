import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** Whose request, on which route, under which Idempotency-Key. */
export interface IdempotencyScope {
  principal: string;
  route: string;
  key: string;
}

/** What the first request with a key was answered. */
export interface StoredAnswer {
  status: number;
  location: string | null;
  body: unknown;
}

export type Claim =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'reused' }
  | { kind: 'in_progress' }
  | { kind: 'answered'; answer: StoredAnswer };

/** How long a key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60_000;
/** A claim still unanswered after this long was abandoned (its process stopped) and may be taken over. */
export const ABANDONED_CLAIM_MS = 10 * 60_000;
const PURGE_EVERY_MS = 60_000;

/** The owner of `api_idempotency_keys`: a cache of answers to /v1 POSTs, with expiry (not part of the log). */
@Injectable()
export class IdempotencyRepository {
  private lastPurge = 0;

  constructor(private readonly db: DataSource) {}

  /**
   * Claims the key for this request, or says why not: the key was used with another body, its first
   * request is still running, or it was answered (and how). An expired or abandoned row is taken over.
   */
  async claim(scope: IdempotencyScope, requestSha256: string): Promise<Claim> {
    await this.purgeExpired();
    const claimId = randomUUID();
    // A row released between the two statements below is simply claimed on the next turn.
    for (let turn = 0; turn < 3; turn++) {
      const claimed: unknown[] = await this.db.query(
        `INSERT INTO api_idempotency_keys AS k (principal, route, idempotency_key, request_sha256, claim_id, expires_at)
         VALUES ($1, $2, $3, $4, $5, now() + $6 * interval '1 millisecond')
         ON CONFLICT (principal, route, idempotency_key) DO UPDATE
           SET request_sha256 = EXCLUDED.request_sha256, claim_id = EXCLUDED.claim_id, status = NULL, location = NULL,
               body = NULL, created_at = now(), expires_at = EXCLUDED.expires_at
           WHERE k.expires_at <= now() OR (k.status IS NULL AND k.created_at < now() - $7 * interval '1 millisecond')
         RETURNING 1`,
        [scope.principal, scope.route, scope.key, requestSha256, claimId, IDEMPOTENCY_TTL_MS, ABANDONED_CLAIM_MS],
      );
      if (claimed.length > 0) return { kind: 'claimed', claimId };
      const [row]: { request_sha256: string; status: number | null; location: string | null; body: unknown }[] = await this.db.query(
        `SELECT request_sha256, status, location, body FROM api_idempotency_keys
          WHERE principal = $1 AND route = $2 AND idempotency_key = $3`,
        [scope.principal, scope.route, scope.key],
      );
      if (!row) continue;
      if (row.request_sha256 !== requestSha256) return { kind: 'reused' };
      if (row.status === null) return { kind: 'in_progress' };
      return { kind: 'answered', answer: { status: row.status, location: row.location, body: row.body } };
    }
    return { kind: 'in_progress' };
  }

  /** Keeps the answer of a claimed request (unless its claim was taken over meanwhile). */
  async complete(scope: IdempotencyScope, claimId: string, answer: StoredAnswer): Promise<void> {
    await this.db.query(
      `UPDATE api_idempotency_keys SET status = $5, location = $6, body = $7
        WHERE principal = $1 AND route = $2 AND idempotency_key = $3 AND claim_id = $4`,
      [scope.principal, scope.route, scope.key, claimId, answer.status, answer.location, JSON.stringify(answer.body ?? null)],
    );
  }

  /** Forgets a claim whose request failed, so the same key may be sent again. */
  async release(scope: IdempotencyScope, claimId: string): Promise<void> {
    await this.db.query(
      `DELETE FROM api_idempotency_keys WHERE principal = $1 AND route = $2 AND idempotency_key = $3 AND claim_id = $4`,
      [scope.principal, scope.route, scope.key, claimId],
    );
  }

  /** Expired rows are deleted now and then (at most once a minute per process), by the expiry index. */
  private async purgeExpired(): Promise<void> {
    const now = Date.now();
    if (now - this.lastPurge < PURGE_EVERY_MS) return;
    this.lastPurge = now;
    await this.db.query(`DELETE FROM api_idempotency_keys WHERE expires_at <= now()`);
  }
}
