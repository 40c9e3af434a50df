import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { VerificationReport } from './log-verifier.js';

export interface RecordedVerification extends Omit<VerificationReport, 'signaturesChecked' | 'erasedPayloads'> {
  /** Null for runs before the log became a tree. */
  signaturesChecked: boolean | null;
  /** Null for runs before erasures were recorded. */
  erasedPayloads: number | null;
  verifiedBy: string;
}

/** A stored run; the counts and the head's position are bigints, read as text. */
interface VerificationRow {
  ok: boolean;
  entries_checked: string;
  checkpoints_checked: number;
  signatures_checked: boolean | null;
  erased_payloads: string | null;
  head_position: string;
  head_hash: string;
  first_broken_link: RecordedVerification['firstProblem'];
  verified_at: Date;
  verified_by: string;
}

/**
 * Keeps every verification run (API or CLI), so "when was the log last proven intact?" has an answer. Since
 * the log became a tree, head_position holds the tree size and head_hash the base64 root.
 */
@Injectable()
export class VerificationLog {
  constructor(private readonly db: DataSource) {}

  async record(report: VerificationReport, verifiedBy: string): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_verifications
         (verified_at, verified_by, ok, entries_checked, checkpoints_checked, head_position, head_hash, first_broken_link, signatures_checked, erased_payloads)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        report.verifiedAt,
        verifiedBy,
        report.ok,
        report.entriesChecked,
        report.checkpointsChecked,
        report.head.size,
        report.head.root,
        report.firstProblem,
        report.signaturesChecked,
        report.erasedPayloads,
      ],
    );
  }

  async latest(): Promise<RecordedVerification | undefined> {
    const [row] = await this.db.query<VerificationRow[]>(
      `SELECT ok, entries_checked, checkpoints_checked, signatures_checked, erased_payloads, head_position, head_hash, first_broken_link,
              verified_at, verified_by
         FROM audit_verifications ORDER BY position DESC LIMIT 1`,
    );
    if (!row) return undefined;
    return {
      ok: row.ok,
      entriesChecked: Number(row.entries_checked),
      checkpointsChecked: row.checkpoints_checked,
      signaturesChecked: row.signatures_checked,
      erasedPayloads: row.erased_payloads === null ? null : Number(row.erased_payloads),
      head: { size: Number(row.head_position), root: row.head_hash },
      firstProblem: row.first_broken_link,
      verifiedAt: new Date(row.verified_at).toISOString(),
      verifiedBy: row.verified_by,
    };
  }
}

/** A verification as /v1 shows it (snake_case, like every /v1 body). */
export function verificationView(report: VerificationReport | RecordedVerification) {
  return {
    ok: report.ok,
    entries_checked: report.entriesChecked,
    checkpoints_checked: report.checkpointsChecked,
    signatures_checked: report.signaturesChecked,
    erased_payloads: report.erasedPayloads,
    head: { size: report.head.size, root: report.head.root },
    first_problem: report.firstProblem,
    verified_at: report.verifiedAt,
    ...('verifiedBy' in report ? { verified_by: report.verifiedBy } : {}),
  };
}
