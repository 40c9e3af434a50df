import type { Queryable } from './tree-store.js';

export interface StoredCheckpoint {
  position: string;
  tree_size: string;
  root_hash: Buffer;
  note: string;
  signed_at: Date;
}

export async function latestCheckpoint(db: Queryable): Promise<StoredCheckpoint | undefined> {
  const [row] = await db.query<StoredCheckpoint[]>('SELECT position, tree_size, root_hash, note, signed_at FROM audit_tree_checkpoints ORDER BY position DESC LIMIT 1');
  return row;
}

export async function checkpointOfNote(db: Queryable, note: string): Promise<StoredCheckpoint | undefined> {
  const [row] = await db.query<StoredCheckpoint[]>(
    'SELECT position, tree_size, root_hash, note, signed_at FROM audit_tree_checkpoints WHERE note = $1 ORDER BY position DESC LIMIT 1',
    [note],
  );
  return row;
}

/** The checkpoint's signed note with every stored witness cosignature appended as further signature lines. */
export async function withCosignatures(db: Queryable, checkpoint: { position: string; note: string }): Promise<string> {
  const rows: { signature_line: string }[] = await db.query(
    'SELECT signature_line FROM audit_cosignatures WHERE checkpoint_position = $1 ORDER BY position',
    [checkpoint.position],
  );
  // A note is text, a blank line, then signature lines: cosignatures are simply more lines.
  return checkpoint.note + rows.map((r) => `${r.signature_line}\n`).join('');
}
