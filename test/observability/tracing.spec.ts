import { SpanKind, trace, type ProxyTracerProvider } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import request from 'supertest';
import { recordSql } from '../../src/audit-log/leaf-records.js';
import { startTracing, type Tracing, tracingOn } from '../../src/tracing/tracing.js';
import { bulletin, partnerIdOf } from '../support/fixtures.js';
import { ACCOUNT_ID, startGateway, UPSTREAM_PASSCODE, type GatewayHarness } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

const PARTNER_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARTNER_SPAN_ID = '00f067aa0ba902b7';
const PARTNER_TRACEPARENT = `00-${PARTNER_TRACE_ID}-${PARTNER_SPAN_ID}-01`;
/** Words of the bulletin that must not reach a span: the payload stays in the log. */
const PAYLOAD_MARKER = 'payload-words-that-must-stay-out-of-spans';

async function send(gateway: GatewayHarness, key: string, headers: Record<string, string> = {}) {
  const response = await request(gateway.http)
    .post('/1/targets/trigger.json')
    .set(gateway.partnerHeaders(key))
    .set(headers)
    .send(bulletin({ name: PAYLOAD_MARKER, properties: { note: PAYLOAD_MARKER } }))
    .expect(200);
  return response.body.event_id as string;
}

const storedTraceparent = async (gateway: GatewayHarness, eventId: string) =>
  (await gateway.sql('SELECT traceparent FROM bulletin_events WHERE id = $1', [eventId]))[0].traceparent as string | null;

describe('tracing off (no OTEL_* variable set)', () => {
  let gateway: GatewayHarness;
  let key: string;

  beforeAll(async () => {
    gateway = await startGateway();
    key = await gateway.createPartner();
  });
  afterAll(() => gateway.close());

  it('registers no SDK: the API hands out non-recording spans, nothing is stored or sent on', async () => {
    expect(gateway.config.tracing).toBeUndefined();
    expect(tracingOn()).toBe(false);
    const provider = trace.getTracerProvider() as ProxyTracerProvider;
    expect(provider.getDelegate().constructor.name).toBe('NoopTracerProvider');
    expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);

    gateway.simulator.clearReceived();
    const eventId = await send(gateway, key, { traceparent: PARTNER_TRACEPARENT });
    expect(await storedTraceparent(gateway, eventId)).toBeNull();
    const [received] = gateway.simulator.received();
    expect(received.headers).not.toHaveProperty('traceparent');
  });
});

describe('tracing on: one bulletin from the partner to CleverTap', () => {
  const exporter = new InMemorySpanExporter();
  let tracing: Tracing;
  let gateway: GatewayHarness;
  let key: string;

  beforeAll(async () => {
    tracing = (await startTracing(undefined, { spanProcessors: [new SimpleSpanProcessor(exporter)] }))!;
    gateway = await startGateway({ env: { RETRY_SCHEDULE: '1s' } });
    key = await gateway.createPartner();
  });
  afterAll(async () => {
    await gateway.close();
    await tracing.shutdown();
  });

  const spans = () => exporter.getFinishedSpans();
  const one = (predicate: (span: ReadableSpan) => boolean, what: string) =>
    waitFor(() => {
      const found = spans().filter(predicate);
      if (found.length > 1) throw new Error(`more than one ${what}`);
      return found[0];
    }, 10_000, what);
  const childOf = (span: ReadableSpan, parent: ReadableSpan) =>
    span.spanContext().traceId === parent.spanContext().traceId && span.parentSpanContext?.spanId === parent.spanContext().spanId;

  /** The spans of one event: its ingest, append, statement, dispatch attempt, CleverTap call and recording. */
  async function spansOf(eventId: string) {
    const ingest = await one((s) => s.kind === SpanKind.SERVER && s.attributes['bulletin.event_id'] === eventId, 'the ingest span');
    const append = await one((s) => s.name === 'event-log append' && s.attributes['bulletin.event_id'] === eventId, 'the append span');
    const insert = await one((s) => s.name === 'INSERT bulletin_events' && childOf(s, append), 'the insert span');
    const dispatch = await one((s) => s.name === 'dispatch attempt' && s.attributes['bulletin.event_id'] === eventId, 'the dispatch span');
    const client = await one((s) => s.kind === SpanKind.CLIENT && childOf(s, dispatch), 'the CleverTap request span');
    const record = await one((s) => s.name === 'dispatch record' && childOf(s, dispatch), 'the record span');
    return { ingest, append, insert, dispatch, client, record };
  }

  it("continues the partner's trace and links the dispatch to it through the stored traceparent", async () => {
    gateway.simulator.clearReceived();
    const eventId = await send(gateway, key, { traceparent: PARTNER_TRACEPARENT, tracestate: 'vendor=opaque' });
    const { ingest, append, insert, dispatch, client, record } = await spansOf(eventId);

    // The ingest request: a server span in the partner's trace, whose parent is the partner's span.
    expect(ingest.spanContext().traceId).toBe(PARTNER_TRACE_ID);
    expect(ingest.parentSpanContext).toMatchObject({ traceId: PARTNER_TRACE_ID, spanId: PARTNER_SPAN_ID, isRemote: true });
    expect(ingest.name).toBe('POST /1/targets/trigger.json');
    expect(ingest.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.route': '/1/targets/trigger.json',
      'http.response.status_code': 200,
      'bulletin.partner_id': await partnerIdOf(gateway, key),
      'bulletin.account_id': ACCOUNT_ID,
      'bulletin.business_event': 'Program Released',
    });
    // The append (its wait and its commit) is the ingest's child; the shared statement the append's.
    expect(childOf(append, ingest)).toBe(true);
    expect(insert.kind).toBe(SpanKind.CLIENT);
    expect(insert.attributes).toMatchObject({ 'db.system.name': 'postgresql', 'db.collection.name': 'bulletin_events', 'db.operation.batch.size': 1 });

    // Stored with the event: the gateway's ingest span, not the partner's header.
    const traceparent = await storedTraceparent(gateway, eventId);
    expect(traceparent).toBe(`00-${PARTNER_TRACE_ID}-${ingest.spanContext().spanId}-01`);
    // ... and outside the event's audit record, which is the same with tracing on or off.
    const [{ leaf }] = await gateway.sql(`SELECT ${recordSql('event')} AS leaf FROM bulletin_events t WHERE t.id = $1`, [eventId]);
    expect(leaf).toMatchObject({ kind: 'event', id: eventId });
    expect(JSON.stringify(leaf)).not.toContain(ingest.spanContext().spanId);

    // The attempt: a trace of its own, linked to the ingest span.
    expect(dispatch.parentSpanContext).toBeUndefined();
    expect(dispatch.spanContext().traceId).not.toBe(PARTNER_TRACE_ID);
    expect(dispatch.links.map((link) => link.context)).toEqual([
      expect.objectContaining({ traceId: PARTNER_TRACE_ID, spanId: ingest.spanContext().spanId }),
    ]);
    expect(dispatch.attributes).toMatchObject({
      'bulletin.event_id': eventId,
      'bulletin.account_id': ACCOUNT_ID,
      'bulletin.lane': 'live',
      'bulletin.attempt_number': 1,
      'bulletin.trigger': 'auto',
      'bulletin.outcome': 'sent',
      'bulletin.resulting_status': 'sent',
      'http.response.status_code': 200,
      'bulletin.clevertap_status': 'success',
    });

    // CleverTap's request: undici's client span under the attempt, with the HTTP semantic conventions,
    // and the trace context sent along.
    expect(client.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'url.path': '/1/targets/trigger.json',
      'server.address': '127.0.0.1',
    });
    expect(Object.keys(client.attributes).filter((name) => name.includes('header'))).toEqual([]);
    const [received] = gateway.simulator.received();
    expect(received.headers.traceparent).toBe(`00-${client.spanContext().traceId}-${client.spanContext().spanId}-01`);
    expect(received.headers).not.toHaveProperty('tracestate');
    expect(record.attributes).toMatchObject({ 'bulletin.event_id': eventId, 'bulletin.attempt_number': 1 });
  });

  it('a malformed traceparent starts a new trace', async () => {
    const malformed = [
      `00-${PARTNER_TRACE_ID.toUpperCase()}-${PARTNER_SPAN_ID}-01`,
      `00-${'0'.repeat(32)}-${PARTNER_SPAN_ID}-01`,
      `00-${PARTNER_TRACE_ID}-${PARTNER_SPAN_ID}-01-extra`,
      `ff-${PARTNER_TRACE_ID}-${PARTNER_SPAN_ID}-01`,
    ];
    for (const traceparent of malformed) {
      const eventId = await send(gateway, key, { traceparent });
      const { ingest, dispatch } = await spansOf(eventId);
      expect(ingest.parentSpanContext).toBeUndefined();
      expect(ingest.spanContext().traceId).not.toBe(PARTNER_TRACE_ID);
      expect(await storedTraceparent(gateway, eventId)).toBe(`00-${ingest.spanContext().traceId}-${ingest.spanContext().spanId}-01`);
      expect(dispatch.links[0].context.spanId).toBe(ingest.spanContext().spanId);
    }
  });

  it("requests sharing one INSERT each reach it: the first's append span is its parent, the others' are linked", async () => {
    const eventIds = await Promise.all(Array.from({ length: 6 }, () => send(gateway, key, { traceparent: PARTNER_TRACEPARENT })));
    const appends = await Promise.all(
      eventIds.map((eventId) => one((s) => s.name === 'event-log append' && s.attributes['bulletin.event_id'] === eventId, 'an append span')),
    );
    const inserts = spans().filter((s) => s.name === 'INSERT bulletin_events');
    for (const append of appends) {
      const reaching = inserts.filter(
        (insert) => childOf(insert, append) || insert.links.some((link) => link.context.spanId === append.spanContext().spanId),
      );
      expect(reaching).toHaveLength(1);
      const [insert] = reaching;
      expect(insert.attributes['db.operation.batch.size']).toBe(1 + insert.links.length);
    }
  });

  it('a retry, a later attempt read back from the database, is a new trace linked to the same ingest span', async () => {
    gateway.simulator.setFaults([{ kind: '5xx', status: 503, remaining: 1 }]);
    const response = await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(key))
      .set({ traceparent: PARTNER_TRACEPARENT, Prefer: 'respond-async' })
      .send(bulletin())
      .expect(202);
    const eventId = response.body.event_id as string;
    const ingest = await one((s) => s.kind === SpanKind.SERVER && s.attributes['bulletin.event_id'] === eventId, 'the ingest span');
    const attempts = await waitFor(
      () => {
        const found = spans().filter((s) => s.name === 'dispatch attempt' && s.attributes['bulletin.event_id'] === eventId);
        return found.length === 2 && found.sort((a, b) => Number(a.attributes['bulletin.attempt_number']) - Number(b.attributes['bulletin.attempt_number']));
      },
      15_000,
      'two attempts',
    );
    expect(attempts[0].attributes).toMatchObject({ 'bulletin.attempt_number': 1, 'bulletin.outcome': 'transient', 'http.response.status_code': 503, 'bulletin.resulting_status': 'retrying' });
    expect(attempts[1].attributes).toMatchObject({ 'bulletin.attempt_number': 2, 'bulletin.lane': 'retry', 'bulletin.trigger': 'retry', 'bulletin.outcome': 'sent' });
    expect(attempts[0].spanContext().traceId).not.toBe(attempts[1].spanContext().traceId);
    for (const attempt of attempts)
      expect(attempt.links.map((link) => link.context)).toEqual([expect.objectContaining({ traceId: PARTNER_TRACE_ID, spanId: ingest.spanContext().spanId })]);
  });

  it('a request without traceparent is traced too, from the gateway', async () => {
    const eventId = await send(gateway, key);
    const { ingest } = await spansOf(eventId);
    expect(ingest.parentSpanContext).toBeUndefined();
    expect(await storedTraceparent(gateway, eventId)).toBe(`00-${ingest.spanContext().traceId}-${ingest.spanContext().spanId}-01`);
  });

  it('a refused request is traced with its status, and no span carries a key, the passcode or the payload', async () => {
    await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders('bgk_not-a-real-key-but-shaped-like-one'))
      .set({ traceparent: PARTNER_TRACEPARENT })
      .send(bulletin())
      .expect(401);
    const refused = await waitFor(
      () => spans().find((s) => s.kind === SpanKind.SERVER && s.attributes['http.response.status_code'] === 401),
      10_000,
      'the refused request span',
    );
    expect(refused.spanContext().traceId).toBe(PARTNER_TRACE_ID);

    const everything = JSON.stringify(
      spans().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, links: s.links, resource: s.resource.attributes, status: s.status })),
    );
    expect(spans().length).toBeGreaterThan(10);
    for (const secret of [key, 'bgk_not-a-real-key', UPSTREAM_PASSCODE, PAYLOAD_MARKER, 'editor@example.com']) expect(everything).not.toContain(secret);
  });
});
