import { readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../common/atomic-file.js';
import type { Checkpoint } from '../transparency/checkpoint.js';

/**
 * The last checkpoint a monitor verified, or a witness cosigned: what the next checkpoint must be
 * consistent with. Kept in a file of the auditor's, never in the gateway's database.
 */
export interface TrustedHead {
  origin: string;
  size: number;
  /** base64, as in the checkpoint. */
  root_hash: string;
  /** The signed note itself: with a later inconsistent one, evidence of a fork. */
  checkpoint: string;
  recorded_at: string;
}

export class StateFileError extends Error {}

export async function readTrustedHead(path: string): Promise<TrustedHead | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(`cannot read the state file ${path}: ${(error as Error).message}`);
  }
  const head = JSON.parse(text) as Partial<TrustedHead>;
  if (typeof head.origin !== 'string' || !Number.isSafeInteger(head.size) || typeof head.root_hash !== 'string')
    throw new StateFileError(`the state file ${path} is not a checkpoint record; move it away to start over`);
  return head as TrustedHead;
}

export function writeTrustedHead(path: string, checkpoint: Checkpoint, note: string): void {
  const head: TrustedHead = {
    origin: checkpoint.origin,
    size: checkpoint.size,
    root_hash: checkpoint.rootHash.toString('base64'),
    checkpoint: note,
    recorded_at: new Date().toISOString(),
  };
  writeFileAtomically(path, `${JSON.stringify(head, null, 2)}\n`);
}
