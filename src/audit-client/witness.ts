import { openCheckpoint } from '../transparency/checkpoint.js';
import { cosignCheckpoint } from '../transparency/cosignature.js';
import type { NoteSigner, NoteVerifier } from '../transparency/signed-note.js';
import type { LogClient } from './log-client.js';
import { checkExtends, type ForkProblem } from './log-consistency.js';
import { readTrustedHead, writeTrustedHead } from './trusted-head.js';

export interface WitnessOptions {
  client: LogClient;
  logVerifier: NoteVerifier;
  witnessSigner: NoteSigner;
  statePath: string;
}

export type WitnessReport =
  | { ok: true; size: number; previousSize?: number }
  | { ok: false; problem: ForkProblem | 'bad_signature'; detail: string };

/**
 * One round of a witness (C2SP tlog-cosignature): cosign the log's latest checkpoint only if it is
 * signed by the pinned log key and extends the last checkpoint this witness cosigned. The new head is
 * written to the state file before the cosignature leaves, so a crash can never let this witness
 * cosign two inconsistent checkpoints.
 */
export async function witnessOnce(options: WitnessOptions): Promise<WitnessReport> {
  const { client, statePath } = options;
  const note = await client.checkpoint();
  let checkpoint;
  try {
    checkpoint = openCheckpoint(note, options.logVerifier).checkpoint;
  } catch (error) {
    return { ok: false, problem: 'bad_signature', detail: `the checkpoint does not verify: ${(error as Error).message}` };
  }
  const trusted = await readTrustedHead(statePath);
  if (trusted) {
    const fork = await checkExtends(client, trusted, checkpoint);
    if (fork) return { ok: false, ...fork };
  }
  writeTrustedHead(statePath, checkpoint, note);
  // Sending the same checkpoint's cosignature again is harmless: the gateway keeps one per witness.
  const cosigned = cosignCheckpoint(note, options.witnessSigner);
  await client.submitCosignature(note, cosigned.trimEnd().split('\n').pop()!);
  return { ok: true, size: checkpoint.size, previousSize: trusted?.size };
}
