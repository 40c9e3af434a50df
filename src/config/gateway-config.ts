import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { type AuditLogConfig, loadAuditLogConfig } from '../audit-log/audit-log-config.js';
import { CLEVERTAP_REGIONS, type CleverTapRegion, isCleverTapRegion } from './clevertap-regions.js';
import { parseDurationList } from './durations.js';
import { Environment } from './environment.js';
import { type TracingConfig, tracingConfig } from '../tracing/tracing-config.js';

export interface CleverTapAccount {
  id: string;
  passcode: string;
  baseUrl: string;
}

export interface DispatchSettings {
  concurrencyPerAccount: number;
  /** Slots of an account each lower lane is owed while it has work (see FairShare). */
  laneShares: { retry: number; replay: number };
  retryScheduleMs: number[];
  upstreamTimeoutMs: number;
  syncWaitMs: number;
  uncertainPolicy: 'park' | 'retry';
  pollIntervalMs: number;
  /** A claim older than this is presumed abandoned by a dead process and may be claimed again. */
  leaseMs: number;
  circuitFailureThreshold: number;
  circuitCooldownMs: number;
  credentialsRetryMs: number;
  shutdownGraceMs: number;
}

export interface GatewayConfig {
  port: number;
  host: string;
  /** Gateway processes sharing the port (node:cluster); each one ingests and dispatches. */
  workers: number;
  databaseUrl?: string;
  /** `port` undefined: the default port, or the one remembered in the data dir. */
  embeddedPostgres: { dataDir: string; port?: number };
  /** Empty means simulator mode: main.ts starts the built-in simulator and adds its account. */
  accounts: CleverTapAccount[];
  /** NODE_ENV=production: simulator mode must be asked for (SIMULATOR=1), never fallen into. */
  production: boolean;
  /** SIMULATOR=1: simulator mode on purpose; no CleverTap account may be configured then. */
  simulator: boolean;
  adminKey?: string;
  dispatch: DispatchSettings;
  /** Per-partner defaults (0: none); a partner's own settings override them. */
  ingressLimits: { ratePerSecond: number; burst: number; maxBacklog: number };
  maxBodyBytes: number;
  /** Nesting levels a JSON body may have; CleverTap's body needs 2. */
  maxJsonDepth: number;
  http: HttpLimits;
  logLevel: string;
  audit: {
    /** Ed25519 key that signs export trailers (the log key, AUDIT_SIGNING_KEY); without it exports are hashed but unsigned. */
    signingKey?: KeyObject;
    sealIntervalMs: number;
    checkpointIntervalMs: number;
  };
  /** The transparency log: origin, log key, signer state, witnesses. */
  auditLog: AuditLogConfig;
  /** OpenTelemetry tracing; undefined: off (see tracingConfig). */
  tracing?: TracingConfig;
}

/**
 * Why this configuration may not boot the gateway itself (the CLI may still use it): in production, no
 * CleverTap account means SIMULATOR=1 must say that simulator mode is meant.
 */
export function gatewayBootProblem(config: GatewayConfig): string | undefined {
  if (config.accounts.length > 0 || config.simulator || !config.production) return undefined;
  return (
    'no CleverTap account is configured and NODE_ENV=production: set CLEVERTAP_ACCOUNT_ID and CLEVERTAP_PASSCODE ' +
    '(or CLEVERTAP_ACCOUNTS_FILE), or set SIMULATOR=1 to run the built-in simulator on purpose (nothing is sent to CleverTap)'
  );
}

/** Timeouts and caps of the HTTP server (docs/security.md says what each one stops). */
export interface HttpLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  idleTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

/** A configuration problem, reported as one line per bad value and no stack trace. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const values = plainToInstance(Environment, withoutEmptyValues(env), { exposeDefaultValues: true });
  const problems = validateSync(values, { forbidUnknownValues: false }).map(
    (error) => `${error.property} ${Object.values(error.constraints ?? {})[0]} (got ${shownValue(error.property, env[error.property])})`,
  );
  if (problems.length > 0) throw new ConfigError(problems);
  const accounts = collectAccounts(values, env, problems);
  const simulator = values.SIMULATOR === '1';
  if (simulator && accounts.length > 0)
    problems.push('SIMULATOR=1 runs the built-in CleverTap simulator, but a CleverTap account is configured too: unset one or the other');
  problems.push(...httpTimeoutProblems(values));
  const auditLog = loadAuditLogConfig(values, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: values.PORT,
    host: values.HOST,
    workers: values.GATEWAY_WORKERS,
    databaseUrl: values.DATABASE_URL,
    embeddedPostgres: { dataDir: values.EMBEDDED_POSTGRES_DIR, port: values.EMBEDDED_POSTGRES_PORT },
    accounts,
    production: values.NODE_ENV === 'production',
    simulator,
    adminKey: values.GATEWAY_ADMIN_KEY,
    dispatch: {
      concurrencyPerAccount: values.DISPATCH_CONCURRENCY_PER_ACCOUNT,
      laneShares: { retry: values.RETRY_SLOT_SHARE, replay: values.REPLAY_SLOT_SHARE },
      retryScheduleMs: parseDurationList(values.RETRY_SCHEDULE)!,
      upstreamTimeoutMs: values.UPSTREAM_TIMEOUT_MS,
      syncWaitMs: values.SYNC_WAIT_MS,
      uncertainPolicy: values.UNCERTAIN_POLICY,
      pollIntervalMs: values.DISPATCH_POLL_MS,
      leaseMs: values.UPSTREAM_TIMEOUT_MS * 3 + 5_000,
      circuitFailureThreshold: values.CIRCUIT_FAILURE_THRESHOLD,
      circuitCooldownMs: values.CIRCUIT_COOLDOWN_MS,
      credentialsRetryMs: values.CREDENTIALS_RETRY_MS,
      shutdownGraceMs: values.SHUTDOWN_GRACE_MS,
    },
    ingressLimits: {
      ratePerSecond: values.PARTNER_RATE_LIMIT_PER_SECOND,
      burst: values.PARTNER_RATE_LIMIT_BURST,
      maxBacklog: values.PARTNER_MAX_BACKLOG,
    },
    maxBodyBytes: values.MAX_BODY_BYTES,
    maxJsonDepth: values.MAX_JSON_DEPTH,
    http: {
      headersTimeoutMs: values.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: values.HTTP_REQUEST_TIMEOUT_MS,
      idleTimeoutMs: values.HTTP_IDLE_TIMEOUT_MS,
      keepAliveTimeoutMs: values.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: values.HTTP_MAX_CONNECTIONS,
    },
    logLevel: values.LOG_LEVEL,
    audit: {
      signingKey: auditLog.exportKey,
      sealIntervalMs: values.AUDIT_SEAL_INTERVAL_MS,
      checkpointIntervalMs: values.AUDIT_CHECKPOINT_INTERVAL_MS,
    },
    auditLog,
    tracing: tracingConfig(values),
  };
}

/**
 * Node requires the headers timeout not to exceed the request timeout, and an idle socket is cut after
 * HTTP_IDLE_TIMEOUT_MS even while a request waits SYNC_WAIT_MS for CleverTap's answer.
 */
function httpTimeoutProblems(values: Environment): string[] {
  const problems: string[] = [];
  if (values.HTTP_HEADERS_TIMEOUT_MS > values.HTTP_REQUEST_TIMEOUT_MS)
    problems.push(`HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS (got ${values.HTTP_HEADERS_TIMEOUT_MS} > ${values.HTTP_REQUEST_TIMEOUT_MS})`);
  if (values.HTTP_IDLE_TIMEOUT_MS <= values.SYNC_WAIT_MS + 1000)
    problems.push(`HTTP_IDLE_TIMEOUT_MS must exceed SYNC_WAIT_MS by more than 1000 ms, or waiting requests are cut (got ${values.HTTP_IDLE_TIMEOUT_MS}, SYNC_WAIT_MS ${values.SYNC_WAIT_MS})`);
  return problems;
}

// OTLP headers usually carry the collector's API key.
const SECRET_VARIABLES = new Set(['CLEVERTAP_PASSCODE', 'GATEWAY_ADMIN_KEY', 'AUDIT_SIGNING_KEY', 'OTEL_EXPORTER_OTLP_HEADERS']);

/** A bad value is echoed to help the operator, except secrets, and never a URL's password. */
function shownValue(variable: string, value: string | undefined): string {
  if (SECRET_VARIABLES.has(variable)) return `a value of ${value?.length ?? 0} characters`;
  return JSON.stringify((value ?? '').replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@'));
}

/** `FOO=` in a shell or an env file means "not set", not "set to the empty string". */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')) as Record<
    string,
    string
  >;
}

function collectAccounts(values: Environment, env: NodeJS.ProcessEnv, problems: string[]): CleverTapAccount[] {
  const accounts: CleverTapAccount[] = [];
  if (values.CLEVERTAP_ACCOUNT_ID || values.CLEVERTAP_PASSCODE) {
    if (!values.CLEVERTAP_ACCOUNT_ID) problems.push('CLEVERTAP_ACCOUNT_ID must be set when CLEVERTAP_PASSCODE is set');
    else if (!values.CLEVERTAP_PASSCODE) problems.push('CLEVERTAP_PASSCODE must be set when CLEVERTAP_ACCOUNT_ID is set');
    else
      accounts.push({
        id: values.CLEVERTAP_ACCOUNT_ID,
        passcode: values.CLEVERTAP_PASSCODE,
        baseUrl: baseUrlFor(values.CLEVERTAP_BASE_URL, values.CLEVERTAP_REGION as CleverTapRegion | undefined),
      });
  }
  if (values.CLEVERTAP_ACCOUNTS_FILE) accounts.push(...readAccountsFile(values.CLEVERTAP_ACCOUNTS_FILE, env, problems));
  const seen = new Set<string>();
  for (const account of accounts) {
    if (seen.has(account.id)) problems.push(`CLEVERTAP_ACCOUNTS_FILE lists account ${account.id} more than once`);
    seen.add(account.id);
  }
  return accounts;
}

function baseUrlFor(baseUrl: string | undefined, region: CleverTapRegion | undefined): string {
  return (baseUrl ?? CLEVERTAP_REGIONS[region ?? 'eu1']).replace(/\/+$/, '');
}

interface AccountsFileEntry {
  id?: unknown;
  region?: unknown;
  baseUrl?: unknown;
  passcodeEnv?: unknown;
  passcodeFile?: unknown;
}

/**
 * Reads CLEVERTAP_ACCOUNTS_FILE: a JSON array of `{ id, region | baseUrl, passcodeEnv | passcodeFile }`.
 * Passcodes are never written in the file itself, only where to find them.
 */
function readAccountsFile(path: string, env: NodeJS.ProcessEnv, problems: string[]): CleverTapAccount[] {
  let entries: unknown;
  try {
    entries = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    // The parser's message may quote the file, and the file may (wrongly) hold a passcode: do not echo it.
    const reason = error instanceof SyntaxError ? 'it is not valid JSON' : (error as NodeJS.ErrnoException).code;
    problems.push(`CLEVERTAP_ACCOUNTS_FILE must name a readable JSON file (${reason})`);
    return [];
  }
  if (!Array.isArray(entries)) {
    problems.push('CLEVERTAP_ACCOUNTS_FILE must hold a JSON array of accounts');
    return [];
  }
  return entries.flatMap((entry: AccountsFileEntry, index) => {
    const where = `CLEVERTAP_ACCOUNTS_FILE entry ${index}`;
    if (typeof entry?.id !== 'string' || entry.id === '') return fail(problems, `${where} must have a non-empty "id"`);
    if (entry.region !== undefined && !isCleverTapRegion(entry.region))
      return fail(problems, `${where} "region" must be one of ${Object.keys(CLEVERTAP_REGIONS).join(', ')}`);
    if (entry.baseUrl !== undefined && (typeof entry.baseUrl !== 'string' || !/^https?:\/\/[^/@]+(\/|$)/.test(entry.baseUrl)))
      return fail(problems, `${where} "baseUrl" must be an http(s) URL without user:password`);
    if ('passcode' in entry) return fail(problems, `${where} must not hold a passcode: use "passcodeEnv" or "passcodeFile"`);
    const passcode = passcodeOf(entry, env);
    if (!passcode) return fail(problems, `${where} needs "passcodeEnv" (a set environment variable) or "passcodeFile" (a readable file)`);
    return [{ id: entry.id, passcode, baseUrl: baseUrlFor(entry.baseUrl as string | undefined, entry.region as CleverTapRegion) }];
  });
}

function passcodeOf(entry: AccountsFileEntry, env: NodeJS.ProcessEnv): string | undefined {
  if (typeof entry.passcodeEnv === 'string') return env[entry.passcodeEnv] || undefined;
  if (typeof entry.passcodeFile === 'string') {
    try {
      return readFileSync(entry.passcodeFile, 'utf8').trim() || undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function fail(problems: string[], problem: string): [] {
  problems.push(problem);
  return [];
}
