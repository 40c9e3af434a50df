import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  isRecord,
  parseFaultRules,
  resolveSimulatorConfig,
  type FaultKind,
  type FaultRule,
  type SimulatorConfig,
  type SimulatorOptions,
} from './simulator-config.js';

export const TRIGGER_PATH = '/1/targets/trigger.json';
export const CONTROL_PREFIX = '/__simulator';

/** Oldest records are dropped past this, so a long-running standalone simulator does not grow without bound. */
const MAX_RECORDS = 10_000;

export type SimulatorResponseBody =
  | { status: 'success'; targets: number }
  | { status: 'fail'; error: string; code: number };

/** 'pending' until answered; 'reset' and 'hang' are requests that never got an HTTP answer. */
export type RecordedOutcome = 'pending' | 'responded' | 'reset' | 'hang';

export interface RecordedRequest {
  seq: number;
  at: string;
  method: string;
  path: string;
  accountId: string | null;
  /** The passcode is never stored: only whether it matched, and a hash prefix (see passcodeFingerprint). */
  passcodeValid: boolean;
  passcodeSha256: string | null;
  /** Request headers with the passcode and Authorization replaced by "[redacted]". */
  headers: Record<string, string>;
  rawBody: string;
  /** The parsed JSON body; absent when the body is not JSON. */
  body?: unknown;
  fault: FaultKind | null;
  outcome: RecordedOutcome;
  status: number | null;
  responseBody: SimulatorResponseBody | null;
  durationMs: number | null;
}

export interface SimulatorStats {
  received: number;
  succeeded: number;
  /** Every 429 answered: over the concurrency limit or injected. */
  rejected429: number;
  /** Highest concurrency seen per account, counting an arrival rejected for going over the limit. */
  maxInFlightSeen: Record<string, number>;
  /** Accounts with requests in flight right now (an idle account is absent). */
  inFlight: Record<string, number>;
}

/** What tests compare with `passcodeSha256`: the first 16 hex digits of the passcode's SHA-256. */
export function passcodeFingerprint(passcode: string): string {
  return createHash('sha256').update(passcode).digest('hex').slice(0, 16);
}

interface ActiveFault {
  rule: FaultRule;
  matched: number;
}

/**
 * An HTTP server that answers like CleverTap's Bulletins endpoint, with per-account concurrency limits,
 * latency and injectable faults, and that records what it received. Controlled in-process through this
 * class or from another process through the `/__simulator/*` routes.
 */
export class CleverTapSimulator {
  private readonly config: SimulatorConfig;
  private latencyMs: number;
  private activeFaults: ActiveFault[] = [];
  private records: RecordedRequest[] = [];
  private seq = 0;
  private counts = { received: 0, succeeded: 0, rejected429: 0 };
  private readonly inFlight = new Map<string, number>();
  private maxInFlightSeen = new Map<string, number>();

  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private readonly handlers = new Set<Promise<void>>();
  private lifetime = new AbortController();
  private address?: { host: string; port: number };

  constructor(options: SimulatorOptions = {}) {
    this.config = resolveSimulatorConfig(options);
    this.latencyMs = this.config.latencyMs;
    this.setFaults(this.config.faults);
  }

  get accountIds(): string[] {
    return this.config.accounts.map((account) => account.id);
  }

  /** Base URL of the last start; still answers after stop(), so a test can observe the refused connection. */
  get url(): string {
    const { host, port } = this.requireAddress();
    const clientHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
    return `http://${clientHost.includes(':') ? `[${clientHost}]` : clientHost}:${port}`;
  }

  get port(): number {
    return this.requireAddress().port;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.server) throw new Error('CleverTap simulator is already running');
    const server = createServer((req, res) => this.track(res, this.handle(req, res)));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.listen(port, host);
    await once(server, 'listening');
    const bound = server.address();
    if (bound === null || typeof bound === 'string') throw new Error('CleverTap simulator did not bind a TCP port');
    this.server = server;
    this.lifetime = new AbortController();
    this.address = { host, port: bound.port };
    return this.url;
  }

  /** Closes the port and every connection (hanging ones too); start(port) can bring it back later. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.lifetime.abort();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await Promise.all([closed, ...this.handlers]);
  }

  received(): RecordedRequest[] {
    return structuredClone(this.records);
  }

  successful(): RecordedRequest[] {
    return this.received().filter((record) => record.status === 200 && record.responseBody?.status === 'success');
  }

  /** Empties the record list; stats() keeps counting (reset() clears both). */
  clearReceived(): void {
    this.records = [];
  }

  faults(): FaultRule[] {
    return this.activeFaults.map((fault) => ({ ...fault.rule }));
  }

  setFaults(rules: FaultRule[]): void {
    this.activeFaults = parseFaultRules(rules, 'faults').map((rule) => ({ rule: { ...rule }, matched: 0 }));
  }

  addFault(rule: FaultRule): void {
    parseFaultRules([rule], 'fault');
    this.activeFaults.push({ rule: { ...rule }, matched: 0 });
  }

  setLatency(ms: number): void {
    if (!Number.isInteger(ms) || ms < 0) throw new Error('latencyMs must be an integer >= 0');
    this.latencyMs = ms;
  }

  stats(): SimulatorStats {
    return {
      ...this.counts,
      maxInFlightSeen: Object.fromEntries(this.maxInFlightSeen),
      inFlight: Object.fromEntries(this.inFlight),
    };
  }

  /** Back to the state it started with: configured faults and latency, no records, zeroed stats. */
  reset(): void {
    this.setFaults(this.config.faults);
    this.latencyMs = this.config.latencyMs;
    this.records = [];
    this.counts = { received: 0, succeeded: 0, rejected429: 0 };
    this.maxInFlightSeen = new Map();
  }

  private requireAddress(): { host: string; port: number } {
    if (!this.address) throw new Error('CleverTap simulator has not been started');
    return this.address;
  }

  /** Lets stop() wait until every request has released its concurrency slot. */
  private track(res: ServerResponse, handler: Promise<void>): void {
    const tracked = handler
      .catch((error: unknown) => {
        // A client that hangs up mid-body is not the simulator's failure.
        if (res.req.destroyed) return;
        console.error('CleverTap simulator: request failed', error);
        if (!res.headersSent) sendJson(res, 500, failure(500, 'Simulator error'));
      })
      .finally(() => this.handlers.delete(tracked));
    this.handlers.add(tracked);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://simulator').pathname;
    const rawBody = await readBody(req);
    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      return this.handleControl(req.method ?? 'GET', path, rawBody, res);
    }
    const record = this.record(req, path, rawBody);
    if (path !== TRIGGER_PATH) return this.respond(res, record, failure(404, 'Not Found'));
    if (req.method !== 'POST') return this.respond(res, record, failure(405, 'Method Not Allowed'), { Allow: 'POST' });
    await this.trigger(req, res, record);
  }

  private async trigger(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const account = record.accountId ?? '';
    const stopped = this.lifetime.signal;
    if (!this.acquireSlot(account)) {
      return this.respond(res, record, failure(429, 'Too many concurrent requests'));
    }
    try {
      if (this.latencyMs > 0) await sleep(this.latencyMs, undefined, { signal: stopped });
      const fault = this.takeFault(account);
      record.fault = fault?.kind ?? null;
      if (fault) await this.applyFault(fault, req, res, record);
      else this.respond(res, record, this.answer(record));
    } catch (error) {
      // stop() during the latency: the connection is gone without an answer.
      if (!stopped.aborted) throw error;
      this.finish(record, 'reset');
    } finally {
      this.releaseSlot(account);
    }
  }

  /** The vendor's validation, in the order: credentials, body, when, business event, properties. */
  private answer(record: RecordedRequest): SimulatorResponseBody {
    if (!record.passcodeValid) return failure(401, 'Invalid Credentials');
    const body = record.body;
    if (!isRecord(body)) return failure(400, 'Request body must be a JSON object');
    const whenError = checkWhen(body.when);
    if (whenError) return failure(400, whenError);
    const event = this.config.businessEvents.find((candidate) => candidate.name === body.business_event);
    if (!event) return failure(400, 'Business Event Not Found');
    const properties = isRecord(body.properties) ? body.properties : {};
    const missing = event.requiredProperties.find((name) => properties[name] === undefined || properties[name] === null);
    if (missing !== undefined) return failure(400, `Property${missing}missing`);
    return { status: 'success', targets: event.targets };
  }

  private acquireSlot(account: string): boolean {
    const wanted = (this.inFlight.get(account) ?? 0) + 1;
    this.maxInFlightSeen.set(account, Math.max(this.maxInFlightSeen.get(account) ?? 0, wanted));
    if (wanted > this.config.maxInFlightPerAccount) return false;
    this.inFlight.set(account, wanted);
    return true;
  }

  private releaseSlot(account: string): void {
    const left = (this.inFlight.get(account) ?? 1) - 1;
    if (left > 0) this.inFlight.set(account, left);
    else this.inFlight.delete(account);
  }

  /** First rule that matches the account and whose rate says "this one" wins; rate is a fixed cadence. */
  private takeFault(account: string): FaultRule | undefined {
    for (const fault of this.activeFaults) {
      const { rule } = fault;
      if (rule.accountId !== undefined && rule.accountId !== account) continue;
      fault.matched += 1;
      const rate = rule.rate ?? 1;
      // Tolerance so that e.g. 10 * 0.1 counts as 1 despite floating point.
      const due = Math.floor(fault.matched * rate + 1e-9) > Math.floor((fault.matched - 1) * rate + 1e-9);
      if (!due) continue;
      if (rule.remaining !== undefined) {
        rule.remaining -= 1;
        if (rule.remaining === 0) this.activeFaults = this.activeFaults.filter((other) => other !== fault);
      }
      return { ...rule };
    }
    return undefined;
  }

  private async applyFault(
    fault: FaultRule,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
  ): Promise<void> {
    switch (fault.kind) {
      case '5xx': {
        const status = fault.status ?? 503;
        return this.respond(res, record, failure(status, `Simulated ${status} error`));
      }
      case '429':
        return this.respond(res, record, failure(429, 'Too many concurrent requests'));
      case 'unauthorized':
        return this.respond(res, record, failure(401, 'Invalid Credentials'));
      case 'fail-body':
        return this.respond(res, record, { status: 'fail', error: 'Simulated failure', code: 200 });
      case 'reset':
        this.finish(record, 'reset');
        // A TCP RST, so clients see ECONNRESET as they would from a dropped upstream.
        req.socket.resetAndDestroy();
        return;
      case 'hang':
        this.finish(record, 'hang');
        // Holds the concurrency slot until the client gives up or stop() destroys the socket.
        if (!req.socket.destroyed) await once(req.socket, 'close');
        return;
    }
  }

  private record(req: IncomingMessage, path: string, rawBody: string): RecordedRequest {
    const accountId = headerValue(req, 'x-clevertap-account-id');
    const passcode = headerValue(req, 'x-clevertap-passcode');
    const account = this.config.accounts.find((candidate) => candidate.id === accountId);
    const record: RecordedRequest = {
      seq: ++this.seq,
      at: new Date().toISOString(),
      method: req.method ?? '',
      path,
      accountId,
      passcodeValid: account !== undefined && passcode === account.passcode,
      passcodeSha256: passcode === null ? null : passcodeFingerprint(passcode),
      headers: redactedHeaders(req),
      rawBody,
      ...parseJson(rawBody),
      fault: null,
      outcome: 'pending',
      status: null,
      responseBody: null,
      durationMs: null,
    };
    this.counts.received += 1;
    this.records.push(record);
    if (this.records.length > MAX_RECORDS) this.records.shift();
    return record;
  }

  private respond(
    res: ServerResponse,
    record: RecordedRequest,
    body: SimulatorResponseBody,
    headers: Record<string, string> = {},
  ): void {
    const status = body.status === 'fail' ? body.code : 200;
    sendJson(res, status, body, headers);
    this.finish(record, 'responded', status, body);
    if (status === 200 && body.status === 'success') this.counts.succeeded += 1;
    if (status === 429) this.counts.rejected429 += 1;
  }

  private finish(
    record: RecordedRequest,
    outcome: RecordedOutcome,
    status: number | null = null,
    body: SimulatorResponseBody | null = null,
  ): void {
    record.outcome = outcome;
    record.status = status;
    record.responseBody = body;
    record.durationMs = Date.now() - Date.parse(record.at);
  }

  private handleControl(method: string, path: string, rawBody: string, res: ServerResponse): void {
    const route = path.slice(CONTROL_PREFIX.length);
    const routes: Record<string, Record<string, () => unknown>> = {
      '/requests': { GET: () => this.received(), DELETE: () => this.clearReceived() },
      '/stats': { GET: () => this.stats() },
      '/faults': {
        GET: () => this.faults(),
        PUT: () => {
          this.setFaults(JSON.parse(rawBody) as FaultRule[]);
          return this.faults();
        },
      },
      '/latency': {
        PUT: () => {
          this.setLatency((JSON.parse(rawBody) as { latencyMs: number }).latencyMs);
          return { latencyMs: this.latencyMs };
        },
      },
      '/reset': { POST: () => this.reset() },
    };
    const methods = routes[route];
    if (!methods) return sendJson(res, 404, failure(404, 'Not Found'));
    const action = methods[method];
    if (!action) return sendJson(res, 405, failure(405, 'Method Not Allowed'), { Allow: Object.keys(methods).join(', ') });
    try {
      const result = action();
      if (result === undefined) res.writeHead(204).end();
      else sendJson(res, 200, result);
    } catch (error) {
      sendJson(res, 400, failure(400, (error as Error).message));
    }
  }
}

function failure(code: number, error: string): SimulatorResponseBody {
  return { status: 'fail', error, code };
}

/** `when` is "now" or a UNIX timestamp in seconds; the vendor renders a missing value as null. */
function checkWhen(when: unknown): string | undefined {
  if (when === 'now') return undefined;
  if (Number.isInteger(when) && (when as number) >= 0) return undefined;
  if (typeof when === 'string' && /^\d+$/.test(when)) return undefined;
  const shown = when === undefined || when === null ? 'null' : typeof when === 'object' ? JSON.stringify(when) : String(when);
  return `"when" has an incorrect value - ${shown}`;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(raw: string): { body?: unknown } {
  try {
    return { body: JSON.parse(raw) as unknown };
  } catch {
    return {};
  }
}

function headerValue(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
}

function redactedHeaders(req: IncomingMessage): Record<string, string> {
  const secret = new Set(['x-clevertap-passcode', 'authorization']);
  return Object.fromEntries(
    Object.keys(req.headers).map((name) => [name, secret.has(name) ? '[redacted]' : (headerValue(req, name) ?? '')]),
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
