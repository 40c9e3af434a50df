import type { LeafRecord } from '../transparency/leaf.js';

/** One leaf as `GET /v1/audit/entries` and `GET /v1/events/:id/proof` serve it. */
export interface LogEntry {
  index: number;
  kind: string;
  record: LeafRecord;
}

export interface EventProof {
  checkpoint: string;
  entries: (LogEntry & { inclusion: string[] })[];
}

/** Why a check could not be made: the gateway did not answer as the spec says it must. */
export class LogClientError extends Error {}

/**
 * The gateway's transparency-log routes (docs/audit-format.md §9), as an auditor's machine calls them.
 * It trusts nothing it reads: callers verify every signature and proof.
 */
export class LogClient {
  private readonly base: string;

  constructor(
    gatewayUrl: string,
    private readonly key: string,
  ) {
    this.base = gatewayUrl.replace(/\/+$/, '');
  }

  async checkpoint(): Promise<string> {
    return (await this.get('/v1/audit/checkpoint')).text();
  }

  async consistency(from: number, to: number): Promise<Buffer[]> {
    const body = (await (await this.get(`/v1/audit/consistency?from=${from}&to=${to}`)).json()) as { proof?: unknown };
    return hashes(body.proof, 'consistency proof');
  }

  async eventProof(eventId: string): Promise<EventProof> {
    return (await (await this.get(`/v1/events/${encodeURIComponent(eventId)}/proof`)).json()) as EventProof;
  }

  /** The leaves with from ≤ index < to, in order, read as they stream (lines of other shapes are skipped). */
  async *entries(from: number, to: number): AsyncGenerator<LogEntry> {
    const response = await this.get(`/v1/audit/entries?from=${from}&to=${to}`);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let pending = '';
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(chunk, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const line of lines) if (line !== '') yield* leafOf(line);
    }
    pending += decoder.decode();
    if (pending !== '') yield* leafOf(pending);
  }

  /** `POST /v1/audit/cosignatures`: the checkpoint as served and the witness's one signature line for it. */
  async submitCosignature(checkpoint: string, cosignatureLine: string): Promise<void> {
    const response = await fetch(`${this.base}/v1/audit/cosignatures`, {
      method: 'POST',
      headers: { ...this.auth(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ checkpoint, cosignature: cosignatureLine }),
    });
    if (!response.ok) throw new LogClientError(`the gateway refused the cosignature: ${await describe(response)}`);
  }

  private async get(path: string): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, { headers: this.auth() });
    if (!response.ok) throw new LogClientError(`GET ${path.split('?')[0]} failed: ${await describe(response)}`);
    return response;
  }

  private auth(): Record<string, string> {
    return { Authorization: `Bearer ${this.key}` };
  }
}

function* leafOf(line: string): Generator<LogEntry> {
  const value = JSON.parse(line) as Partial<LogEntry>;
  if (typeof value.index !== 'number') return; // e.g. a closing checkpoint line
  if (typeof value.kind !== 'string' || typeof value.record !== 'object' || value.record === null)
    throw new LogClientError(`entry ${value.index} is not {index, kind, record}`);
  yield value as LogEntry;
}

export function hashes(value: unknown, what: string): Buffer[] {
  if (!Array.isArray(value) || value.some((hash) => typeof hash !== 'string'))
    throw new LogClientError(`${what} is not an array of base64 hashes`);
  return value.map((hash: string) => Buffer.from(hash, 'base64'));
}

async function describe(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  return `${response.status}${text ? ` ${text.slice(0, 300)}` : ''}`;
}
