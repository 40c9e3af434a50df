import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ACCOUNT_ID, exampleBulletin, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import type { SentEvent } from '../support/load.js';
import { sleep } from '../support/wait-for.js';

const TRIGGER = '/1/targets/trigger.json';
const B_RATE_PER_SECOND = 50;
const B_EVENTS = 200; // 4 seconds' worth

/**
 * One partner's hostile traffic must not cost another partner anything: while A sends NULs, lone
 * surrogates, deep nesting, invalid UTF-8, compressed and garbage bodies and holds stalled uploads
 * open, B's valid events at 50/s are all accepted and committed. B's latency, alone and beside A, is
 * logged with their ratio, not asserted (speed is the bench's business).
 */
describe('blast radius: partner A\'s hostile traffic and partner B\'s valid events', () => {
  let gateway: GatewayHarness;
  let port: number;
  let partnerA: string;
  let partnerB: string;

  beforeAll(async () => {
    gateway = await startGateway({ env: { HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_HEADERS_TIMEOUT_MS: '1000' } });
    partnerA = await gateway.createPartner({ name: 'A (hostile)' });
    partnerB = await gateway.createPartner({ name: 'B (valid)' });
    await gateway.app.listen(0, '127.0.0.1');
    port = (gateway.http.address() as { port: number }).port;
  });
  afterAll(() => gateway.close());

  const hostileBodies: Buffer[] = [
    Buffer.from('{"business_event":"E","name":"n","properties":{"k":"v\\u0000"},"c-by":"x","when":"now"}'),
    Buffer.from('{"business_event":"E","name":"n\\ud800","properties":{},"c-by":"x","when":"now"}'),
    Buffer.from('{"business_event":"E","name":"n","properties":{"\\u0000":"v"},"c-by":"x","when":"now","\\u0000":1}'),
    Buffer.from('['.repeat(5000) + ']'.repeat(5000)),
    Buffer.concat([Buffer.from('{"business_event":"E","name":"'), Buffer.from([0xff, 0xfe, 0xc0, 0xaf]), Buffer.from('"}')]),
    Buffer.from('{"business_event":'),
    Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 37) % 256)),
  ];

  function hostileRequest(index: number): Promise<number> {
    const body = hostileBodies[index % hostileBodies.length];
    const headers: Record<string, string> = {
      'X-CleverTap-Account-Id': index % 5 === 0 ? partnerA : ACCOUNT_ID,
      'X-CleverTap-Passcode': partnerA,
      'Content-Type': 'application/json',
      'Content-Length': String(body.length),
      'X-Request-Id': `leak-${partnerA}`,
      ...(index % 7 === 0 ? { 'Content-Encoding': 'gzip' } : {}),
    };
    return new Promise((resolve) => {
      const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: TRIGGER, headers }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      });
      req.on('error', () => resolve(0));
      req.end(body);
    });
  }

  /**
   * One of B's events, on a connection of its own: the test process's fetch, sharing the process with
   * A's sockets, queued B's requests for seconds where a plain request did not.
   */
  function raiseRaw(programId: string): Promise<SentEvent> {
    const body = Buffer.from(JSON.stringify({ ...exampleBulletin(), properties: { ...exampleBulletin().properties, program_id: programId } }));
    return new Promise((resolve) => {
      const req = httpRequest(
        { port, host: '127.0.0.1', method: 'POST', path: TRIGGER, agent: false, headers: { ...gateway.partnerHeaders(partnerB), Prefer: 'respond-async', 'Content-Length': String(body.length) } },
        (response) => {
          let text = '';
          response.on('data', (chunk) => (text += chunk));
          response.on('end', () => resolve({ programId, httpStatus: response.statusCode!, eventId: JSON.parse(text).event_id }));
        },
      );
      req.on('error', () => resolve({ programId, httpStatus: 'network-error' }));
      req.end(body);
    });
  }

  /** Headers and a first chunk of a body that never comes, refreshed as the server cuts them. */
  function stalledUpload(): Socket {
    const socket = connect(port, '127.0.0.1', () =>
      socket.write(`POST ${TRIGGER} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-CleverTap-Account-Id: ${ACCOUNT_ID}\r\nX-CleverTap-Passcode: ${partnerA}\r\nContent-Length: 5000\r\n\r\n{"name":`),
    );
    socket.on('error', () => undefined);
    socket.resume();
    return socket;
  }

  /** B's events at B_RATE_PER_SECOND, each timed from when it was due. */
  async function sendPartnerB(prefix: string): Promise<(SentEvent & { ms: number })[]> {
    const sent: (SentEvent & { ms: number })[] = [];
    const pending: Promise<void>[] = [];
    const started = Date.now();
    for (let i = 0; i < B_EVENTS; i++) {
      const at = Date.now();
      pending.push(raiseRaw(`${prefix}-${i}`).then((result) => void sent.push({ ...result, ms: Date.now() - at })));
      await sleep(Math.max(0, started + ((i + 1) * 1000) / B_RATE_PER_SECOND - Date.now()));
    }
    await Promise.all(pending);
    return sent;
  }

  const percentile = (sent: { ms: number }[], q: number) => {
    const latencies = sent.map((event) => event.ms).sort((a, b) => a - b);
    return latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  };

  let aloneP99: number;

  it('B alone: the baseline its latency beside A is compared with', async () => {
    const sent = await sendPartnerB('alone');
    aloneP99 = percentile(sent, 0.99);
    console.log(`partner B alone: ${sent.length} events at ${B_RATE_PER_SECOND}/s, p50 ${percentile(sent, 0.5)} ms, p99 ${aloneP99} ms`);
    expect(sent.filter((event) => event.httpStatus !== 202)).toEqual([]);
  }, 60_000);

  it('B gets no error and every B event is committed', async () => {
    let stop = false;
    const hostileStatuses: number[] = [];
    const stalled: Socket[] = [];
    const attacker = (async () => {
      for (let i = 0; !stop; i++) {
        await Promise.all(Array.from({ length: 10 }, (_, j) => hostileRequest(i * 10 + j).then((status) => hostileStatuses.push(status))));
        while (stalled.filter((socket) => !socket.destroyed).length < 100) stalled.push(stalledUpload());
      }
    })();

    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const sent = await sendPartnerB('b');
    stop = true;
    await attacker;
    for (const socket of stalled) socket.destroy();

    loopDelay.disable();
    const p99 = percentile(sent, 0.99);
    console.log(
      `partner B beside A: ${sent.length} events at ${B_RATE_PER_SECOND}/s, p50 ${percentile(sent, 0.5)} ms, p99 ${p99} ms ` +
        `(${(p99 / Math.max(1, aloneP99)).toFixed(1)}x B alone), max ${percentile(sent, 1)} ms; ` +
        `event-loop delay p99 ${Math.round(loopDelay.percentile(99) / 1e6)} ms, max ${Math.round(loopDelay.max / 1e6)} ms; ` +
        `partner A: ${hostileStatuses.length} hostile requests (statuses ${[...new Set(hostileStatuses)].sort().join(', ')}), ${stalled.length} stalled uploads`,
    );

    expect(sent.filter((event) => event.httpStatus !== 202)).toEqual([]);
    expect(hostileStatuses.filter((status) => status >= 500)).toEqual([]);
    const ids = sent.map((event) => event.eventId);
    const [{ committed }] = await gateway.sql<{ committed: number }>('SELECT count(*)::int AS committed FROM bulletin_events WHERE id = ANY($1::uuid[])', [ids]);
    expect(committed).toBe(sent.length);
    expect(sent).toHaveLength(B_EVENTS);
  }, 120_000);
});
