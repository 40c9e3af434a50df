import { readFileSync } from 'node:fs';
import { writeFileAtomically } from '../common/atomic-file.js';
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

/** Replaces the state atomically: a crash leaves either the old or the new file whole. */
export function writeSignerState(dir: string, state: SignerState): void {
  writeFileAtomically(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}
