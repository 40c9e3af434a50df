import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateNoteKey } from '../../src/transparency/signed-note.js';
import { waitFor } from './wait-for.js';

export const TEST_ORIGIN = 'test.bulletin-gateway.example/log';

/** A log key, its verifier key and a fresh state directory: what a signing gateway needs. */
export function signingLog(origin = TEST_ORIGIN) {
  const keys = generateNoteKey(origin);
  const stateDir = mkdtempSync(join(tmpdir(), 'bg-audit-state-'));
  return {
    ...keys,
    stateDir,
    env: { AUDIT_SIGNING_KEY: keys.signingKey, AUDIT_STATE_DIR: stateDir, AUDIT_CHECKPOINT_INTERVAL_MS: '100' } as Record<string, string>,
  };
}

/** The row counts of every log table, summed: how many leaves a fully sealed tree has. */
export const LOG_ROWS_SQL = `(SELECT count(*) FROM bulletin_events) + (SELECT count(*) FROM dispatch_attempts)
  + (SELECT count(*) FROM rejected_requests) + (SELECT count(*) FROM replay_requests) + (SELECT count(*) FROM replay_items)
  + (SELECT count(*) FROM payload_erasures)`;

/**
 * Seals until every log row is a leaf and a checkpoint covers the whole tree (sealPending returns at once
 * while the background sealer holds the lock, so count rather than trust it). Returns the tree size.
 */
export async function sealedAndSigned(
  gateway: { sql(text: string): Promise<Record<string, any>[]>; app: { get<T>(type: new (...args: any[]) => T): T } },
  sealer: new (...args: any[]) => { sealPending(): Promise<number> },
): Promise<number> {
  return waitFor(
    async () => {
      await gateway.app.get(sealer).sealPending();
      const [row] = await gateway.sql(
        `SELECT (SELECT count(*) FROM audit_leaves)::int AS leaves, (${LOG_ROWS_SQL})::int AS rows,
                (SELECT max(tree_size) FROM audit_tree_checkpoints)::int AS signed`,
      );
      return row.leaves === row.rows && row.signed === row.leaves ? row.leaves : undefined;
    },
    10_000,
    'every log row in the tree and a checkpoint over all of it',
  );
}
