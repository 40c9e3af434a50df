import { ApiProperty, type ApiPropertyOptions, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** The /v1/audit answers and event proofs, as the OpenAPI document describes them. */

const PROBLEM_KINDS = ['deleted', 'modified', 'payload_modified', 'backdated', 'tree_gap', 'node_mismatch', 'not_in_tree', 'checkpoint_invalid', 'quorum_missing'];

@ApiSchema({ name: 'TreeHead', description: 'The tree the log was rebuilt into' })
export class TreeHeadView {
  @ApiProperty({ type: 'integer', minimum: 0 }) size: number;
  @ApiProperty({ type: 'string', description: 'base64 Merkle tree hash (RFC 9162)' }) root: string;
}

/** Inline: OpenAPI 3.0 has no nullable $ref that validators agree on. */
const FIRST_PROBLEM: ApiPropertyOptions = {
  type: 'object',
  nullable: true,
  selfRequired: true,
  description: 'The first entry that does not verify; null when the log is intact',
  required: ['index', 'kind', 'ref', 'problem', 'detail'],
  additionalProperties: false,
  properties: {
    index: { type: 'integer', nullable: true, description: "Leaf index in the audit log's tree; null for a row missing from the tree, or a checkpoint" },
    kind: { type: 'string', description: 'The kind of entry (event, attempt, replay_item, rejection, checkpoint, ...)' },
    ref: { type: 'integer', description: "The row's position in its table (the tree size for a checkpoint)" },
    problem: { type: 'string', enum: PROBLEM_KINDS },
    detail: { type: 'string' },
  },
};

@ApiSchema({ name: 'VerificationReport', description: 'A verification of the whole log, from its rows as they are now' })
export class VerificationReportView {
  @ApiProperty({ type: 'boolean' }) ok: boolean;
  @ApiProperty({ type: 'integer', minimum: 0 }) entries_checked: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) checkpoints_checked: number;
  @ApiProperty({ type: 'boolean', description: 'Whether checkpoint signatures were checked (only with a verifier key the caller trusts)' }) signatures_checked: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Payloads (and rejection excerpts) found erased, each with its recorded erasure of exactly what the record commits to' }) erased_payloads: number;
  @ApiProperty({ type: TreeHeadView }) head: { size: number; root: string };
  @ApiProperty(FIRST_PROBLEM) first_problem: Record<string, unknown> | null;
  @ApiProperty({ type: 'string', format: 'date-time' }) verified_at: string;
}

@ApiSchema({ name: 'RecordedVerification', description: 'The latest recorded verification run (API or CLI)' })
export class RecordedVerificationView {
  @ApiProperty({ type: 'boolean' }) ok: boolean;
  @ApiProperty({ type: 'integer', minimum: 0 }) entries_checked: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) checkpoints_checked: number;
  @ApiProperty({ type: 'boolean', nullable: true, description: 'Null for runs before the log became a tree' }) signatures_checked: boolean | null;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true, description: 'Erased payloads found, each with its recorded erasure; null for runs before erasures were recorded' }) erased_payloads: number | null;
  @ApiProperty({ type: TreeHeadView }) head: { size: number; root: string };
  @ApiProperty(FIRST_PROBLEM) first_problem: Record<string, unknown> | null;
  @ApiProperty({ type: 'string', format: 'date-time' }) verified_at: string;
  @ApiProperty({ type: 'string', description: 'Who ran it' }) verified_by: string;
}

@ApiSchema({ name: 'ConsistencyProof', description: 'RFC 9162 consistency proof between two tree sizes' })
export class ConsistencyProofView {
  @ApiProperty({ type: 'integer', minimum: 0 }) from: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) to: number;
  @ApiProperty({ type: 'array', items: { type: 'string' }, description: 'base64 hashes' }) proof: string[];
}

@ApiSchema({ name: 'ProvenEntry', description: 'One leaf of the event with its inclusion proof' })
export class ProvenEntryView {
  @ApiProperty({ type: 'integer', minimum: 0 }) index: number;
  @ApiProperty({ type: 'string' }) kind: string;
  @ApiProperty({
    type: 'object',
    properties: { kind: { type: 'string' } },
    required: ['kind'],
    selfRequired: true,
    additionalProperties: true,
    description: 'The leaf record (docs/audit-format.md §5): its canonical JSON is what the leaf hashes',
  })
  record: Record<string, unknown>;
  @ApiProperty({ type: 'array', items: { type: 'string' }, description: 'RFC 9162 inclusion proof to the checkpoint, base64 hashes' }) inclusion: string[];
}

@ApiSchema({ name: 'EventProof', description: "Every leaf of one event (the event, its attempts, its replay items) with inclusion proofs to the served checkpoint" })
export class EventProofView {
  @ApiProperty({ type: 'string', format: 'uuid' }) event_id: string;
  @ApiProperty({ type: 'string', description: 'The signed checkpoint (a C2SP signed note) the proofs lead to' }) checkpoint: string;
  @ApiProperty({ type: [ProvenEntryView] }) entries: ProvenEntryView[];
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Leaves sealed after that checkpoint, left out' }) pending: number;
  @ApiPropertyOptional({ enum: [false], description: 'Present (false) while the database no longer matches the last signed checkpoint' }) database_matches_checkpoint?: false;
  @ApiPropertyOptional({ type: 'string', description: 'Why the database no longer matches' }) mismatch?: string;
}

@ApiSchema({ name: 'CosignatureAccepted', description: "The witness's cosignature is kept with the checkpoint" })
export class CosignatureAcceptedView {
  @ApiProperty({ type: 'integer', minimum: 0 }) checkpoint_size: number;
  @ApiProperty({ type: 'string', description: "The witness's name" }) witness: string;
}

const CHECKPOINT_NOTE = 'bulletin-gateway.example/log\n2088\nq3v6m2v0Jr0m7c6l4lS0a8fJbq2w5uTnq0h2kq6gI1U=\n\n— bulletin-gateway.example/log Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n';

export const VERIFICATION_EXAMPLE = {
  ok: true,
  entries_checked: 2088,
  checkpoints_checked: 41,
  signatures_checked: false,
  erased_payloads: 0,
  head: { size: 2088, root: 'q3v6m2v0Jr0m7c6l4lS0a8fJbq2w5uTnq0h2kq6gI1U=' },
  first_problem: null,
  verified_at: '2026-12-02T03:20:00.000Z',
};
export const RECORDED_VERIFICATION_EXAMPLE = { ...VERIFICATION_EXAMPLE, verified_by: 'Compliance team' };
export const CONSISTENCY_EXAMPLE = { from: 1024, to: 2088, proof: ['w3W0F2u7l0ZxjX4m0J1Yt8q4kq3pO9dC1vB6nN2mA5E=', 'b7Q8rS9tU0vW1xY2zA3bC4dE5fG6hI7jK8lM9nO0pQ4='] };
export const EVENT_PROOF_EXAMPLE = {
  event_id: '0b8f3c5e-6a1d-4c2e-9f7a-2d4b6e8f0a1c',
  checkpoint: CHECKPOINT_NOTE,
  entries: [{ index: 2087, kind: 'event', record: { kind: 'event', id: '0b8f3c5e-6a1d-4c2e-9f7a-2d4b6e8f0a1c' }, inclusion: ['w3W0F2u7l0ZxjX4m0J1Yt8q4kq3pO9dC1vB6nN2mA5E='] }],
  pending: 0,
};
export const COSIGNATURE_EXAMPLE = { checkpoint_size: 2088, witness: 'witness.example/w1' };
export { CHECKPOINT_NOTE };
