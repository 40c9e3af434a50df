import type { Checkpoint } from '../transparency/checkpoint.js';
import { verifyConsistency } from '../transparency/merkle.js';
import type { LogClient } from './log-client.js';
import type { TrustedHead } from './trusted-head.js';

export type ForkProblem = 'other_log' | 'smaller_tree' | 'inconsistent_tree';

export interface Fork {
  problem: ForkProblem;
  detail: string;
}

/**
 * Proves that `next` extends the head trusted so far (RFC 9162 consistency proof), or says how it
 * does not. Two signed checkpoints that fail this are evidence that the log forked or was rewritten.
 */
export async function checkExtends(client: LogClient, trusted: TrustedHead, next: Checkpoint): Promise<Fork | undefined> {
  if (next.origin !== trusted.origin)
    return { problem: 'other_log', detail: `the checkpoint is for ${next.origin}, the state file for ${trusted.origin}` };
  if (next.size < trusted.size)
    return {
      problem: 'smaller_tree',
      detail: `the log now has ${next.size} entries, fewer than the ${trusted.size} of the checkpoint kept (${trusted.recorded_at}): entries were removed or the database was restored from a backup`,
    };
  const trustedRoot = Buffer.from(trusted.root_hash, 'base64');
  if (next.size === trusted.size) {
    if (next.rootHash.equals(trustedRoot)) return undefined;
    return { problem: 'inconsistent_tree', detail: `two checkpoints of size ${next.size} with different roots: the log was rewritten` };
  }
  const proof = await client.consistency(trusted.size, next.size);
  if (verifyConsistency(trusted.size, next.size, proof, trustedRoot, next.rootHash)) return undefined;
  return {
    problem: 'inconsistent_tree',
    detail: `the tree of ${next.size} entries does not extend the tree of ${trusted.size} kept: the log's past was rewritten`,
  };
}
