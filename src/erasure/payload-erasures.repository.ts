import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isUuid } from '../common/uuid.js';
import { PENDING_STATUSES, type EventStatus } from '../event-log/event-status.js';
import { REPLAY_LOCK_KEY } from '../replay/replay.repository.js';
import { payloadSha256 } from '../transparency/leaf.js';

/** Who erased, and why: both kept in the log with the erasure. */
export interface ErasureRequest {
  reason: string;
  /** The admin's partner id, or `cli:<user>`. */
  requestedBy: string;
}

export interface RecordedErasure {
  position: number;
  erasedAt: Date;
  /** The digest of what was erased (the record's payload_sha256 or payload_excerpt_sha256 when untampered). */
  erasedSha256: string;
}

export type ErasureOutcome =
  | { kind: 'erased'; erasure: RecordedErasure }
  | { kind: 'not_found' }
  | { kind: 'already_erased' }
  /** The event is still queued or retrying: the dispatcher would send nothing. */
  | { kind: 'pending'; status: EventStatus }
  /** The rejection kept no excerpt: there is nothing to erase. */
  | { kind: 'nothing_to_erase' };

/**
 * Owns `payload_erasures` and the one change the log tables allow: an erasure is recorded and the payload
 * (or a rejection's excerpt) set to the erasure marker, SQL NULL, in one transaction, in that order,
 * which is what the append-only triggers require (migrations/1764244800000-PayloadErasures.ts).
 */
@Injectable()
export class PayloadErasuresRepository {
  constructor(private readonly db: DataSource) {}

  async eraseEvent(eventId: string, request: ErasureRequest): Promise<ErasureOutcome> {
    if (!isUuid(eventId)) return { kind: 'not_found' };
    return this.db.transaction(async (tx) => {
      // Replays take this lock too: an event cannot be requeued between the status check and the erasure.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [REPLAY_LOCK_KEY]);
      const [event] = await tx.query<{ payload: unknown; status: EventStatus | null }[]>(
        `SELECT e.payload, (SELECT s.status FROM event_status s WHERE s.event_id = e.id) AS status
           FROM bulletin_events e WHERE e.id = $1 FOR UPDATE`,
        [eventId],
      );
      if (!event) return { kind: 'not_found' };
      if (event.payload === null) return { kind: 'already_erased' };
      if (event.status && PENDING_STATUSES.includes(event.status)) return { kind: 'pending', status: event.status };
      // The digest of the payload as it is, not a copy of the column: if the payload had been altered,
      // the erasure says so and `verify` keeps reporting it.
      const erasure = await insertErasure(tx, { event_id: eventId }, payloadSha256(event.payload), request);
      await tx.query('UPDATE bulletin_events SET payload = NULL WHERE id = $1', [eventId]);
      return { kind: 'erased', erasure };
    });
  }

  async eraseRejectionExcerpt(position: number, request: ErasureRequest): Promise<ErasureOutcome> {
    if (!Number.isSafeInteger(position) || position < 1) return { kind: 'not_found' };
    return this.db.transaction(async (tx) => {
      // Erasures take turns (with replays): a second erasure of the same row then reads the first one's result.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [REPLAY_LOCK_KEY]);
      const [rejection] = await tx.query<{ excerpt_sha256: string | null; erased: boolean }[]>(
        `SELECT encode(sha256(convert_to(r.payload_excerpt, 'UTF8')), 'hex') AS excerpt_sha256,
                EXISTS (SELECT 1 FROM payload_erasures x WHERE x.rejection_position = r.position) AS erased
           FROM rejected_requests r WHERE r.position = $1 FOR UPDATE`,
        [position],
      );
      if (!rejection) return { kind: 'not_found' };
      if (rejection.erased) return { kind: 'already_erased' };
      if (rejection.excerpt_sha256 === null) return { kind: 'nothing_to_erase' };
      const erasure = await insertErasure(tx, { rejection_position: position }, rejection.excerpt_sha256, request);
      await tx.query('UPDATE rejected_requests SET payload_excerpt = NULL WHERE position = $1', [position]);
      return { kind: 'erased', erasure };
    });
  }
}

async function insertErasure(
  tx: EntityManager,
  target: { event_id: string } | { rejection_position: number },
  erasedSha256: string,
  request: ErasureRequest,
): Promise<RecordedErasure> {
  const [column, value] = Object.entries(target)[0];
  const [row] = await tx.query<{ position: string; erased_at: Date }[]>(
    `INSERT INTO payload_erasures (${column}, erased_sha256, reason, requested_by) VALUES ($1, $2, $3, $4)
     RETURNING position, erased_at`,
    [value, erasedSha256, request.reason, request.requestedBy],
  );
  return { position: Number(row.position), erasedAt: row.erased_at, erasedSha256 };
}
