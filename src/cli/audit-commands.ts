import type { INestApplicationContext } from '@nestjs/common';
import type { Command } from 'commander';
import { userInfo } from 'node:os';
import { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/gateway-config.js';
import { defaultOrigin } from '../audit-log/audit-log-config.js';
import { CheckpointSigner, type Resolution } from '../audit-log/checkpoint-signer.service.js';
import { LogVerifier, type TrustedKeys, type VerificationReport } from '../audit-log/log-verifier.js';
import { storedTree } from '../audit-log/tree-reader.js';
import { TreeSealer } from '../audit-log/tree-sealer.service.js';
import { VerificationLog } from '../audit-log/verification-log.js';
import { parseWitnessVerifier } from '../transparency/cosignature.js';
import { generateNoteKey, parseVerifierKey } from '../transparency/signed-note.js';

type WithGateway = <T>(work: (app: INestApplicationContext, config: GatewayConfig) => Promise<T>) => Promise<T>;
type WithProgress = <T>(label: string, total: number, work: (update: (done: number) => void) => Promise<T>) => Promise<T>;

const collect = (value: string, previous: string[]) => [...previous, value];

/** The transparency log's commands: verify, audit:keygen, audit:signer-resolve. */
export function registerAuditCommands(program: Command, withGateway: WithGateway, withProgress: WithProgress): void {
  program
    .command('verify')
    .description('recompute every record and the whole Merkle tree, check every checkpoint; name the first problem (exit 1 if any)')
    .option('--verifier-key <vkey>', "the log's verifier key you trust (<name>+<id>+<base64>); default: the one of AUDIT_SIGNING_KEY")
    .option('--witness <vkey>', 'a witness verifier key (repeatable); default: AUDIT_WITNESSES', collect, [])
    .option('--quorum <k>', 'cosignatures the latest checkpoint needs from those witnesses', (v) => Number(v))
    .option('--json', 'print the report as JSON')
    .action(async (options: { verifierKey?: string; witness: string[]; quorum?: number; json?: boolean }) => {
      const report = await withGateway(async (app, config) => {
        const keys = trustedKeys(program, options, config);
        // Signing stays with the gateways: the signer state on this host is theirs to move.
        await app.get(TreeSealer).sealPending({ sign: false });
        const total = await storedTree.size(app.get(DataSource));
        const result = await withProgress('verifying', total, (update) => app.get(LogVerifier).verify(keys, update));
        await app.get(VerificationLog).record(result, `cli:${userInfo().username}`);
        return result;
      });
      printReport(report, options.json);
      process.exitCode = report.ok ? 0 : 1;
    });

  program
    .command('audit:keygen')
    .description('print a new Ed25519 signed-note key pair: AUDIT_SIGNING_KEY and the verifier key auditors pin')
    .option('--name <name>', 'the key name, which must be the log origin (AUDIT_LOG_ORIGIN)', process.env.AUDIT_LOG_ORIGIN || defaultOrigin())
    .option('--json', 'print exactly {"signing_key": "...", "verifier_key": "..."}')
    .action((options: { name: string; json?: boolean }) => {
      let keys: { signingKey: string; verifierKey: string };
      try {
        keys = generateNoteKey(options.name);
      } catch (error) {
        return program.error(`--name ${(error as Error).message}`);
      }
      if (options.json) return console.log(JSON.stringify({ signing_key: keys.signingKey, verifier_key: keys.verifierKey }));
      console.log(`AUDIT_SIGNING_KEY=${keys.signingKey}\n# verifier key (give it to auditors and witnesses): ${keys.verifierKey}`);
    });

  program
    .command('audit:signer-resolve')
    .description("accept the database's current tree as the signer's new starting point, after it refused to sign (recorded; see docs/audit-operations.md)")
    .requiredOption('--reason <text>', 'what happened and why this history is accepted: kept in audit_signer_events')
    .action(async (options: { reason: string }) => {
      if (!/\S/.test(options.reason)) program.error('--reason is required');
      await withGateway(async (app) => {
        let outcome: Resolution;
        try {
          outcome = await app.get(CheckpointSigner).resolveMismatch(options.reason, `cli:${userInfo().username}`);
        } catch (error) {
          return program.error((error as Error).message);
        }
        if (!outcome.resolved) return console.log('the database matches the signer state: nothing to resolve');
        const { accepted, refusedBecause } = outcome;
        console.log(`resolved: the signer now extends the tree of ${accepted.tree_size} leaves (root ${accepted.root_hash}); it refused because ${refusedBecause}`);
      });
    });
}

function trustedKeys(program: Command, options: { verifierKey?: string; witness: string[]; quorum?: number }, config: GatewayConfig): TrustedKeys {
  try {
    const vkey = options.verifierKey ?? config.auditLog.verifierKey;
    const witnesses = options.witness.length > 0 ? options.witness.map(parseWitnessVerifier) : config.auditLog.witnesses.map((w) => w.verifier);
    const quorum = options.quorum ?? config.auditLog.witnessQuorum;
    if (!Number.isInteger(quorum) || quorum < 0 || quorum > witnesses.length) program.error(`--quorum must be a whole number from 0 to ${witnesses.length}`);
    return { log: vkey ? parseVerifierKey(vkey) : undefined, witnesses, quorum };
  } catch (error) {
    return program.error(`bad key: ${(error as Error).message}`);
  }
}

function printReport(report: VerificationReport, json?: boolean): void {
  if (json) return console.log(JSON.stringify(report));
  if (!report.ok) {
    const p = report.firstProblem!;
    return console.log(`LOG BROKEN${p.index !== null ? ` at leaf ${p.index}` : ''} (${p.problem}): ${p.detail}`);
  }
  console.log(
    `log intact: ${report.entriesChecked} entries, ${report.checkpointsChecked} checkpoints, root ${report.head.root}` +
      (report.erasedPayloads > 0 ? ` (${report.erasedPayloads} erased payloads, each with its recorded erasure)` : '') +
      (report.signaturesChecked ? '' : ' (checkpoint signatures NOT checked: pass --verifier-key)'),
  );
}
