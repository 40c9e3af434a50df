import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/gateway-config.js';
import { CheckpointSigner } from './checkpoint-signer.service.js';
import { readSignerState, type SignerState, writeSignerState } from './signer-state.js';
import { storedTree } from './tree-reader.js';

export type Resolution = { resolved: false } | { resolved: true; refusedBecause: string; accepted: SignerState };

/**
 * An operator's answer to a refusing signer (docs/audit-operations.md): accept the database's current
 * tree as the signer's new starting point. Recorded in audit_signer_events (why, by whom, the state given
 * up and the head accepted) before the state file is replaced; does nothing when the database matches.
 */
export async function resolveSignerMismatch(db: DataSource, config: GatewayConfig, reason: string, by: string): Promise<Resolution> {
  const { stateDir, origin, signer } = config.auditLog;
  if (!signer || !stateDir) throw new Error('AUDIT_SIGNING_KEY and AUDIT_STATE_DIR must be set: this resolves the signer of this host');
  if (!/\S/.test(reason)) throw new Error('a reason is required');
  const problem = await new CheckpointSigner(db, config).mismatch(db);
  if (!problem) return { resolved: false };
  const size = await storedTree.size(db);
  const previous = readSignerState(stateDir);
  const root = await storedTree.root(db, size);
  const accepted: SignerState = { origin, tree_size: size, root_hash: root.toString('base64'), note: null, signed_at: new Date().toISOString() };
  await db.query(`INSERT INTO audit_signer_events (kind, recorded_by, detail) VALUES ('resolved', $1, $2)`, [
    by,
    {
      reason,
      refused_because: problem.reason,
      previous_state: previous ? { ...previous, note: undefined } : null,
      accepted_tree: { ...accepted, note: undefined },
    },
  ]);
  writeSignerState(stateDir, accepted);
  return { resolved: true, refusedBecause: problem.reason, accepted };
}
