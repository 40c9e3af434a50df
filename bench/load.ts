import autocannon from 'autocannon';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';

export interface Latency {
  p50: number;
  p99: number;
  max: number;
}

export interface LoadFigures {
  seconds: number;
  requests: number;
  ok: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  /** 2xx answers per second. */
  okPerSecond: number;
  latencyMs: Latency;
  statusCodes: Record<string, number>;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Closed-loop load with autocannon: `connections` requests in flight, or at most `overallRate` per
 * second. `next` builds each request, so bodies and headers vary. Latency percentiles are of 2xx answers.
 */
export function runAutocannon(options: {
  url: string;
  connections: number;
  seconds: number;
  overallRate?: number;
  next: () => HttpRequest;
}): Promise<LoadFigures> {
  const request: autocannon.Request = {
    setupRequest: (template) => {
      const { method, path, headers, body } = options.next();
      return { ...template, method, path, headers, ...(body === undefined ? {} : { body }) };
    },
  };
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        overallRate: options.overallRate,
        // With a rate, autocannon 9 corrects for coordinated omission with an interval of ceil(1 / rate)
        // *milliseconds*, i.e. 1 ms, inventing a sample per millisecond of every response: raw is truer.
        ignoreCoordinatedOmission: options.overallRate !== undefined,
        requests: [request],
        timeout: 30,
      },
      (error, result) => (error ? reject(error) : resolve(autocannonFigures(result))),
    );
  });
}

function autocannonFigures(result: autocannon.Result): LoadFigures {
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat.count ?? 0]));
  return {
    seconds: result.duration,
    requests: result.requests.total,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    okPerSecond: round(result['2xx'] / result.duration),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    statusCodes,
  };
}

/**
 * Open-loop load at a steady rate: a request leaves every 1/rate s whether or not earlier ones have
 * answered, and each latency runs from the moment it was due (so a stall is not hidden by the requests
 * it delayed: no coordinated omission). Needed because autocannon's own rate limit sends each
 * connection's quota back to back at the start of every second: bursts at full concurrency, not a rate.
 */
export async function runPaced(options: {
  origin: string;
  rate: number;
  seconds: number;
  connections: number;
  next: () => HttpRequest;
}): Promise<LoadFigures> {
  const pool = new Pool(options.origin, { connections: options.connections, headersTimeout: 30_000, bodyTimeout: 30_000 });
  const total = options.rate * options.seconds;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  let errors = 0;
  const send = async (request: HttpRequest, intendedAt: number) => {
    try {
      const response = await pool.request(request);
      await response.body.dump();
      statusCodes[response.statusCode] = (statusCodes[response.statusCode] ?? 0) + 1;
      if (response.statusCode < 300) latencies.push(performance.now() - intendedAt);
    } catch {
      errors++;
    }
  };
  const start = performance.now();
  for (let sent = 0; sent < total; ) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * options.rate) / 1000));
    for (; sent < due; sent++) {
      const request = send(options.next(), start + (sent * 1000) / options.rate).finally(() => pending.delete(request));
      pending.add(request);
    }
    await sleep(1);
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  await pool.close();
  const ok = latencies.length;
  return {
    seconds: round(seconds),
    requests: total,
    ok,
    non2xx: total - ok - errors,
    errors,
    okPerSecond: round(ok / seconds),
    latencyMs: percentiles(latencies),
    statusCodes,
  };
}

export function percentiles(values: number[]): Latency {
  if (values.length === 0) return { p50: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
  return { p50: at(0.5), p99: at(0.99), max: round(sorted[sorted.length - 1]) };
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
