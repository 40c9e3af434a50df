import { type KeyObject } from 'node:crypto';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import {
  ed25519PrivateKey,
  isValidKeyName,
  type NoteSigner,
  type NoteVerifier,
  parseSignerKey,
  parseSignerKeyString,
  SIG_TYPE_ED25519,
  noteKeyFromSeed,
} from '../transparency/signed-note.js';
import { parseWitnessVerifier } from '../transparency/cosignature.js';

/** What the transparency log needs from the environment. */
export interface AuditLogConfig {
  /** The log's name in every checkpoint (C2SP tlog-checkpoint origin line); also the log key's name. */
  origin: string;
  /** Signs checkpoints; undefined means the log is built but never signed. */
  signer?: NoteSigner;
  /** The signing key's verifier key string (public): what auditors pin. */
  verifierKey?: string;
  /** The same key as a KeyObject, for signing export trailers. */
  exportKey?: KeyObject;
  /** Where the signer remembers, outside the database, the last checkpoint it signed. */
  stateDir?: string;
  witnesses: { vkey: string; verifier: NoteVerifier }[];
  witnessQuorum: number;
  projectionCheckIntervalMs: number;
}

/** The origin used when AUDIT_LOG_ORIGIN is unset and no key names one: the host's name, made key-name safe. */
export function defaultOrigin(): string {
  return `${hostname().replace(/[\s+]/g, '-') || 'localhost'}/bulletin-gateway`;
}

/**
 * Reads the AUDIT_* variables of the transparency log. Problems are pushed as one line each, naming the
 * variable, never echoing a key.
 */
export function loadAuditLogConfig(
  env: {
    AUDIT_SIGNING_KEY?: string;
    AUDIT_LOG_ORIGIN?: string;
    AUDIT_STATE_DIR?: string;
    AUDIT_WITNESSES?: string;
    AUDIT_WITNESS_QUORUM: number;
    AUDIT_PROJECTION_CHECK_INTERVAL_MS: number;
  },
  problems: string[],
): AuditLogConfig {
  const key = signingKeyOf(env.AUDIT_SIGNING_KEY, problems);
  if (env.AUDIT_LOG_ORIGIN !== undefined && !isValidKeyName(env.AUDIT_LOG_ORIGIN))
    problems.push('AUDIT_LOG_ORIGIN must be non-empty, without spaces or "+" (e.g. gateway.example.com/bulletins)');
  const origin = env.AUDIT_LOG_ORIGIN ?? key?.signer.name ?? defaultOrigin();
  if (key && key.signer.name !== origin)
    problems.push(
      `AUDIT_SIGNING_KEY is named "${key.signer.name}" but AUDIT_LOG_ORIGIN is "${origin}": the log key must be named after the origin ` +
        '(make one with `bulletin-gateway audit:keygen --name <origin>`)',
    );
  const stateDir = stateDirOf(env.AUDIT_STATE_DIR, key !== undefined, problems);
  const witnesses = witnessesOf(env.AUDIT_WITNESSES, problems);
  if (env.AUDIT_WITNESS_QUORUM > witnesses.length)
    problems.push(`AUDIT_WITNESS_QUORUM is ${env.AUDIT_WITNESS_QUORUM} but AUDIT_WITNESSES lists ${witnesses.length} witnesses`);
  return {
    origin,
    signer: key?.signer,
    verifierKey: key?.verifierKey,
    exportKey: key?.exportKey,
    stateDir,
    witnesses,
    witnessQuorum: env.AUDIT_WITNESS_QUORUM,
    projectionCheckIntervalMs: env.AUDIT_PROJECTION_CHECK_INTERVAL_MS,
  };
}

function signingKeyOf(value: string | undefined, problems: string[]) {
  if (!value) return undefined;
  if (!value.startsWith('PRIVATE+KEY+')) {
    problems.push(
      'AUDIT_SIGNING_KEY must be a signed-note key PRIVATE+KEY+<name>+<id>+<base64>; PEM and DER keys are no longer read ' +
        '(make a new one with `bulletin-gateway audit:keygen --name <origin>`, see docs/audit-operations.md)',
    );
    return undefined;
  }
  try {
    const { name, seed } = parseSignerKeyString(value, SIG_TYPE_ED25519);
    return {
      signer: parseSignerKey(value),
      verifierKey: noteKeyFromSeed(name, seed).verifierKey,
      exportKey: ed25519PrivateKey(seed),
    };
  } catch (error) {
    problems.push(`AUDIT_SIGNING_KEY is not a valid Ed25519 signed-note key: ${(error as Error).message}`);
    return undefined;
  }
}

function stateDirOf(value: string | undefined, signing: boolean, problems: string[]): string | undefined {
  if (!value) {
    if (signing)
      problems.push('AUDIT_STATE_DIR must be set when AUDIT_SIGNING_KEY is: the signer keeps its last checkpoint there, outside the database');
    return undefined;
  }
  const dir = resolve(value);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.R_OK);
  } catch (error) {
    problems.push(`AUDIT_STATE_DIR must be a writable directory (${(error as NodeJS.ErrnoException).code ?? 'not usable'}: ${dir})`);
  }
  return dir;
}

function witnessesOf(value: string | undefined, problems: string[]): { vkey: string; verifier: NoteVerifier }[] {
  if (!value) return [];
  return value
    .split(',')
    .map((vkey) => vkey.trim())
    .filter(Boolean)
    .flatMap((vkey, index) => {
      try {
        return [{ vkey, verifier: parseWitnessVerifier(vkey) }];
      } catch (error) {
        problems.push(`AUDIT_WITNESSES entry ${index + 1} is not a witness verifier key <name>+<id>+<base64>: ${(error as Error).message}`);
        return [];
      }
    });
}
