import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What the checkpoint signer remembers outside the database: the last tree head it committed to. Before
 * signing again it proves the database's tree consistent with this head, so a database restored from a
 * backup, rewritten or stripped of checkpoints can never get a fork signed.
 */
export interface SignerState {
  origin: string;
  tree_size: number;
  /** Standard base64 of the 32-byte root. */
  root_hash: string;
  /** The signed checkpoint note; null when an operator accepted a tree head without one (audit:signer-resolve). */
  note: string | null;
  signed_at: string;
}

export const STATE_FILE = 'checkpoint-signer.json';

export function readSignerState(dir: string): SignerState | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const state = JSON.parse(text) as SignerState;
  if (typeof state.origin !== 'string' || !Number.isSafeInteger(state.tree_size) || typeof state.root_hash !== 'string')
    throw new Error(`${join(dir, STATE_FILE)} is not a checkpoint signer state`);
  return state;
}

/**
 * Replaces the state so that a crash at any moment leaves either the old or the new file whole: write a
 * temporary file, fsync it, rename it over the old one, fsync the directory so the rename itself lasts.
 */
export function writeSignerState(dir: string, state: SignerState): void {
  const path = join(dir, STATE_FILE);
  const temporary = `${path}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(state, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
