import { type Command, InvalidArgumentError } from 'commander';
import { LogClient } from '../audit-client/log-client.js';
import { monitorOnce } from '../audit-client/monitor.js';
import { witnessOnce } from '../audit-client/witness.js';
import { parseWitnessSigner, parseWitnessVerifier } from '../transparency/cosignature.js';
import { type NoteVerifier, parseVerifierKey } from '../transparency/signed-note.js';

/**
 * The auditor's side of the transparency log: commands that run on an auditor's or a witness's machine
 * against a gateway's HTTP routes, with no database and nothing of the gateway's trusted.
 */
export function registerAuditClientCommands(program: Command): void {
  program
    .command('audit:monitor')
    .description("check the gateway's latest checkpoint against the one kept in --state, then keep it (for cron)")
    .requiredOption('--gateway <url>', "the gateway's base URL")
    .option('--key <key>', 'an auditor key (or BULLETIN_GATEWAY_KEY)', process.env.BULLETIN_GATEWAY_KEY)
    .requiredOption('--verifier-key <vkey>', "the log's pinned verifier key", logVerifier)
    .requiredOption('--state <file>', 'where the last verified checkpoint is kept')
    .option('--witness <vkey>', 'a pinned witness verifier key (repeat)', witnessVerifiers, [] as NoteVerifier[])
    .option('--quorum <k>', 'witness cosignatures required', count, 0)
    .option('--sample <n>', 'new leaves checked against their inclusion proofs', count, 16)
    .option('--full', 'read every entry and recompute the root instead of sampling')
    .action(async (options: MonitorCommandOptions) => {
      const report = await monitorOnce({
        client: new LogClient(options.gateway, requiredKey(options.key)),
        logVerifier: options.verifierKey,
        witnesses: options.witness,
        quorum: options.quorum,
        statePath: options.state,
        sample: options.sample,
        full: options.full === true,
      });
      if (!report.ok) fail(report.problem, report.detail);
      const since = report.previousSize === undefined ? 'first checkpoint kept' : `extends ${report.previousSize}`;
      console.log(`log consistent: ${report.size} entries (${since}); ${report.leavesChecked} leaves checked`);
    });

  program
    .command('witness')
    .description('cosign the latest checkpoint if it extends the last one this witness cosigned, and submit it')
    .requiredOption('--gateway <url>', "the gateway's base URL")
    .option('--key <key>', 'a key allowed to submit cosignatures (or BULLETIN_GATEWAY_KEY)', process.env.BULLETIN_GATEWAY_KEY)
    .requiredOption('--verifier-key <vkey>', "the log's pinned verifier key", logVerifier)
    .option('--witness-key <skey>', "this witness's signing key (or WITNESS_SIGNING_KEY)", process.env.WITNESS_SIGNING_KEY)
    .requiredOption('--state <file>', 'where the last cosigned checkpoint is kept')
    .action(async (options: WitnessCommandOptions) => {
      if (!options.witnessKey) fail('usage', 'a witness signing key is required (--witness-key or WITNESS_SIGNING_KEY)');
      const report = await witnessOnce({
        client: new LogClient(options.gateway, requiredKey(options.key)),
        logVerifier: options.verifierKey,
        witnessSigner: keyOrFail(() => parseWitnessSigner(options.witnessKey!), '--witness-key'),
        statePath: options.state,
      });
      if (!report.ok) fail(report.problem, report.detail);
      console.log(`cosigned: ${report.size} entries${report.previousSize === undefined ? ' (first checkpoint)' : ` (extends ${report.previousSize})`}`);
    });
}

interface MonitorCommandOptions {
  gateway: string;
  key?: string;
  verifierKey: NoteVerifier;
  state: string;
  witness: NoteVerifier[];
  quorum: number;
  sample: number;
  full?: boolean;
}

interface WitnessCommandOptions {
  gateway: string;
  key?: string;
  verifierKey: NoteVerifier;
  witnessKey?: string;
  state: string;
}

function logVerifier(value: string): NoteVerifier {
  return keyOrInvalid(() => parseVerifierKey(value));
}

function witnessVerifiers(value: string, previous: NoteVerifier[]): NoteVerifier[] {
  return [...previous, keyOrInvalid(() => parseWitnessVerifier(value))];
}

function count(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a whole number');
  return parsed;
}

function keyOrInvalid<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function keyOrFail<T>(parse: () => T, option: string): T {
  try {
    return parse();
  } catch (error) {
    return fail('usage', `${option}: ${(error as Error).message}`);
  }
}

function requiredKey(key: string | undefined): string {
  return key ?? fail('usage', 'a gateway key is required (--key or BULLETIN_GATEWAY_KEY)');
}

/** One line naming the problem, exit 1: what cron mails to the auditor. */
function fail(problem: string, detail: string): never {
  console.error(`bulletin-gateway: ${problem}: ${detail}`);
  process.exit(1);
}
