import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { GatewayError } from '../common/gateway.error.js';
import { secretScrubber } from '../common/secret-scrubber.js';
import { boundedJson, storableText } from '../common/untrusted-json.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { SqlConditions } from '../event-log/event-conditions.js';
import { decodeCursor, encodeCursor } from '../common/page-cursor.js';
import { receivedBytesOf } from './received-bytes.js';

/** Enough of a refused body to see what was wrong, bounded so a flood of junk cannot bloat the log. */
export const MAX_EXCERPT_BYTES = 2048;
/** Longer than any body the gateway reads (MAX_BODY_BYTES tops at 10 MiB), so payload_bytes stays exact. */
const MAX_BODY_CHARS = 10_485_760;

export interface Rejection {
  partnerId: string;
  accountId?: string;
  error: GatewayError;
  body: unknown;
  /**
   * Size of the body as received, when the caller knows it (a body refused unread keeps only a
   * placeholder). Otherwise what the parsed body remembers (received-bytes.ts), or its size as JSON.
   */
  bodyBytes?: number;
  requestId: string;
}

/**
 * Authenticated requests that failed validation, appended to the log (and chained) like accepted
 * events, so an auditor can see what a partner tried to send and why it was refused.
 */
@Injectable()
export class RejectionLog {
  private readonly scrub: (text: string) => string;

  constructor(
    private readonly db: DataSource,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.scrub = secretScrubber(config);
  }

  async record(rejection: Rejection): Promise<void> {
    // A refused body may hold what a partner should not have sent (its key, a real passcode): never keep those.
    // Bounded before scrubbing: the body was size-limited on the wire, but its JSON text is rebuilt here.
    const text = storableText(this.scrub(boundedJson(rejection.body, MAX_BODY_CHARS)));
    const received = typeof rejection.body === 'string' ? Buffer.byteLength(rejection.body, 'utf8') : undefined;
    const bytes = rejection.bodyBytes ?? receivedBytesOf(rejection.body) ?? received ?? Buffer.byteLength(text, 'utf8');
    await this.db.query(
      `INSERT INTO rejected_requests
         (partner_id, account_id, reason_code, reason, http_status, payload_excerpt, payload_bytes, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        rejection.partnerId,
        rejection.accountId == null ? null : storableText(this.scrub(rejection.accountId)),
        rejection.error.code,
        storableText(this.scrub(rejection.error.message)),
        rejection.error.httpStatus,
        truncateUtf8(text, MAX_EXCERPT_BYTES),
        bytes,
        rejection.requestId,
      ],
    );
  }

  /**
   * Many refusals of one kind as one row: the reason says how many and when, the request id is the
   * first one's, and no body is kept (requests refused for their rate are not looked at).
   */
  async recordAggregate(refusals: {
    partnerId: string;
    accountId?: string;
    code: string;
    reason: string;
    httpStatus: number;
    requestId: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO rejected_requests
         (partner_id, account_id, reason_code, reason, http_status, payload_excerpt, payload_bytes, request_id)
       VALUES ($1, $2, $3, $4, $5, NULL, 0, $6)`,
      [refusals.partnerId, refusals.accountId ?? null, refusals.code, refusals.reason, refusals.httpStatus, refusals.requestId],
    );
  }

  async list(query: { partner?: string; cursor?: string; limit?: number }, onlyPartner?: string) {
    const limit = query.limit ?? 50;
    const conditions = new SqlConditions();
    if (onlyPartner) conditions.add((p) => `r.partner_id = ${p}`, onlyPartner);
    if (query.partner) conditions.add((p) => `r.partner_id = ${p}`, query.partner);
    if (query.cursor) conditions.add((p) => `r.position < ${p}`, decodeCursor(query.cursor));
    const rows = await this.db.query(
      `SELECT r.position, r.partner_id, p.name AS partner_name, r.account_id, r.reason_code, r.reason, r.http_status,
              r.payload_excerpt, r.payload_bytes, r.request_id, r.received_at
         FROM rejected_requests r JOIN partners p ON p.id = r.partner_id
         ${conditions.where} ORDER BY r.position DESC LIMIT ${limit + 1}`,
      conditions.params,
    );
    const page = rows.slice(0, limit).map((row: Record<string, any>) => ({ ...row, position: Number(row.position) }));
    return { data: page, next_cursor: rows.length > limit ? encodeCursor(page[page.length - 1].position) : null };
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return text;
  // Cut on a character boundary: drop a trailing partial UTF-8 sequence.
  return buffer.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
}
