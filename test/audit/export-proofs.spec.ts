import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { verifyExportFile, type ExportTrust } from '../../src/audit-api/export-verifier.js';
import { exportNoteText } from '../../src/audit-api/event-export.js';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { generateWitnessKey, parseWitnessVerifier } from '../../src/transparency/cosignature.js';
import { generateNoteKey, type NoteSigner, parseSignerKey, parseVerifierKey, signNote } from '../../src/transparency/signed-note.js';
import { sealedAndSigned, signingLog, TEST_ORIGIN } from '../support/audit-log-keys.js';
import { bearer, bulletin, raise, textParser } from '../support/fixtures.js';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/**
 * Exports that are proofs (docs/audit-format.md §9.1), and the export rows of the tamper matrix: each
 * case names the check of `verify-export` (src/audit-api/export-verifier.ts) that catches it. "Re-signed
 * with the log key" is the strongest forger short of the witnesses: whoever holds the key and the
 * database can sign any trailer, but not make a record pass an inclusion proof to a checkpoint.
 */
describe('NDJSON exports that are proofs', () => {
  const log = signingLog();
  const realSigner = parseSignerKey(log.signingKey);
  const trust: ExportTrust = { log: parseVerifierKey(log.verifierKey) };
  const dir = mkdtempSync(join(tmpdir(), 'bg-export-proofs-'));
  let gateway: GatewayHarness;
  let auditor: string;
  let failed: string;

  beforeAll(async () => {
    gateway = await startGateway({ env: { ...log.env, AUDIT_SEAL_INTERVAL_MS: '3600000' } });
    auditor = await gateway.createPartner({ role: 'auditor', accounts: [] });
    const partner = await gateway.createPartner();
    for (let i = 0; i < 4; i++) await raise(gateway, partner, bulletin({ name: `export ${i}` }));
    failed = await raise(gateway, partner, bulletin({ business_event: 'No Such Event', name: 'export failed' }));
    await request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(partner)).send({ name: 'no business event' }).expect(400);
    await sealedAndSigned(gateway, TreeSealer);
  });
  afterAll(() => gateway.close());

  const exported = async (query: Record<string, string> = {}, name = 'export.ndjson') => {
    const response = await request(gateway.http).get('/v1/events/export').query(query).set(bearer(auditor)).buffer(true).parse(textParser).expect(200);
    const file = join(dir, name);
    writeFileSync(file, response.body as string);
    return { file, lines: (response.body as string).trimEnd().split('\n').map((line) => JSON.parse(line)) };
  };

  /** Writes lines as a file, with a fresh trailer signed by `signer` (or none). */
  const rewrite = (file: string, lines: any[], signer: NoteSigner | null = realSigner) => {
    const body = lines.filter((line) => line.type !== 'trailer').map((line) => `${JSON.stringify(line)}\n`).join('');
    const count = body.split('\n').length - 1;
    const sha256 = createHash('sha256').update(body).digest('hex');
    const trailer: Record<string, unknown> = { type: 'trailer', format: 'bulletin-gateway-export/2', lines: count, sha256 };
    if (signer) trailer.signature = signNote(exportNoteText(signer.name, count, sha256), signer);
    writeFileSync(file, `${body}${JSON.stringify(trailer)}\n`);
    return file;
  };

  it('a whole-log export carries the checkpoint and every leaf of its tree, each proven; verify-export checks it all', async () => {
    const { file, lines } = await exported();
    const [header] = lines;
    expect(header).toMatchObject({ type: 'header', format: 'bulletin-gateway-export/2', scope: 'whole_log', checkpoint: expect.stringContaining(TEST_ORIGIN) });
    const size = Number(header.checkpoint.split('\n')[1]);
    const events = lines.filter((line) => line.type === 'event');
    const others = lines.filter((line) => line.type === 'entry');
    expect(events).toHaveLength(5);
    expect(others.map((line) => line.kind)).toEqual(['rejection']);
    const failedLine = events.find((line) => line.id === failed);
    expect(failedLine.entries.map((entry: any) => entry.kind)).toEqual(['event', 'attempt']);
    expect(failedLine.entries[0]).toEqual({ index: expect.any(Number), kind: 'event', record: expect.objectContaining({ id: failed }), inclusion: expect.any(Array) });
    const indexes = [...events.flatMap((line) => line.entries.map((entry: any) => entry.index)), ...others.map((line) => line.index)];
    expect(indexes.sort((a, b) => a - b)).toEqual(Array.from({ length: size }, (_, i) => i));
    expect(await verifyExportFile(file, trust)).toEqual({ ok: true, lines: lines.length - 1, signed: true, scope: 'whole_log', treeSize: size, events: 5, entries: size });
  });

  it('the entries are the same as GET /v1/events/:id/proof serves against the same checkpoint', async () => {
    const { lines } = await exported();
    const proof = (await request(gateway.http).get(`/v1/events/${failed}/proof`).set(bearer(auditor)).expect(200)).body;
    expect(proof.checkpoint).toBe(lines[0].checkpoint);
    expect(lines.find((line) => line.id === failed).entries).toEqual(proof.entries);
  });

  it('a filtered export proves each record it holds, and says it is filtered', async () => {
    const { file, lines } = await exported({ status: 'sent' }, 'sent.ndjson');
    expect(lines[0]).toMatchObject({ scope: 'filtered', filter: { status: 'sent' } });
    expect(lines.filter((line) => line.type === 'event')).toHaveLength(4);
    expect(lines.some((line) => line.type === 'entry')).toBe(false);
    expect(await verifyExportFile(file, trust)).toMatchObject({ ok: true, scope: 'filtered', events: 4 });
  });

  it('events sealed after the checkpoint are left out until the next one covers them', async () => {
    const signed = Number((await gateway.sql('SELECT max(tree_size) AS n FROM audit_tree_checkpoints'))[0].n);
    const partner = await gateway.createPartner();
    const late = await raise(gateway, partner, bulletin({ name: 'export late' }));
    const { lines } = await exported();
    if (Number(lines[0].checkpoint.split('\n')[1]) === signed) expect(lines.some((line) => line.id === late)).toBe(false);
    await sealedAndSigned(gateway, TreeSealer);
    const after = await exported();
    expect(after.lines.some((line) => line.id === late)).toBe(true);
    expect(await verifyExportFile(after.file, trust)).toMatchObject({ ok: true, scope: 'whole_log' });
  });

  it('accepts the export test vector of docs/audit-format.md §12, and nothing once a byte of it changes', async () => {
    const vectors = JSON.parse(readFileSync(new URL('../../docs/audit-format-vectors.json', import.meta.url), 'utf8'));
    const file = join(dir, 'vector.ndjson');
    writeFileSync(file, vectors.routes.export);
    const pinned: ExportTrust = { log: parseVerifierKey(vectors.log_key.verifier_key) };
    expect(await verifyExportFile(file, pinned)).toMatchObject({ ok: true, scope: 'whole_log', treeSize: 7, events: 2, entries: 7 });
    writeFileSync(file, vectors.routes.export.replace('"attempts":2', '"attempts":3'));
    expect(await verifyExportFile(file, pinned)).toMatchObject({ ok: false, problem: expect.stringMatching(/changed/) });
  });

  describe('the tamper matrix for exports', () => {
    let whole: { file: string; lines: any[] };
    let filtered: { file: string; lines: any[] };
    beforeAll(async () => {
      whole = await exported({}, 'whole.ndjson');
      filtered = await exported({ status: 'sent' }, 'filtered.ndjson');
    });
    const copy = (lines: any[]) => JSON.parse(JSON.stringify(lines)) as any[];
    const eventAt = (lines: any[], n: number) => lines.filter((line) => line.type === 'event')[n];
    const check = (file: string) => verifyExportFile(file, trust);

    it('summary check (or the trailer hash, whichever reads it first): one byte changed', async () => {
      const bytes = readFileSync(whole.file);
      bytes[bytes.indexOf('export 1')] = 'X'.charCodeAt(0);
      writeFileSync(join(dir, 'byte.ndjson'), bytes);
      expect(await check(join(dir, 'byte.ndjson'))).toMatchObject({ ok: false, problem: expect.stringMatching(/name is not its event record's|file was changed/) });
    });

    it.each([
      ['trailer hash: a line dropped', (lines: any[]) => lines.filter((line) => line !== eventAt(lines, 1)), /file was changed/],
      ['order check: a line duplicated', (lines: any[]) => [...lines.slice(0, 3), lines[2], ...lines.slice(3)], /ascending position/],
      ['order check: two lines swapped', (lines: any[]) => [lines[0], lines[2], lines[1], ...lines.slice(3)], /ascending position/],
    ])('%s, trailer left as it was', async (_case, edit, problem) => {
      const lines = edit(copy(whole.lines));
      const body = lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
      writeFileSync(join(dir, 'edited.ndjson'), body);
      expect(await check(join(dir, 'edited.ndjson'))).toMatchObject({ ok: false, problem: expect.stringMatching(problem) });
    });

    it.each<[string, (lines: any[]) => any[], RegExp]>([
      ['inclusion proof: a record edited', (lines) => (eventAt(lines, 0).entries[0].record.business_event = 'Forged', lines), /inclusion proof fails/],
      ['inclusion proof: an attempt record edited', (lines) => (lines.find((l) => l.entries?.length > 1).entries[1].record.http_status = 599, lines), /inclusion proof fails/],
      ['summary check: a payload edited', (lines) => (eventAt(lines, 0).payload.name = 'Forged', lines), /payload/],
      ['summary check: an account edited', (lines) => (eventAt(lines, 0).account_id = 'other', lines), /account_id/],
      ['order check: two event lines swapped', (lines) => [lines[0], lines[2], lines[1], ...lines.slice(3)], /ascending position/],
      ['duplicate check: an event line duplicated', (lines) => [...lines.slice(0, 2), { ...lines[1], position: 1e12 }, ...lines.slice(2)], /twice/],
      ['whole-log coverage: an event line dropped', (lines) => lines.filter((line) => line !== eventAt(lines, 1)), /lacks entry/],
      ['whole-log coverage: an attempt dropped from its event', (lines) => (eventAt(lines, 0).entries.pop(), lines), /lacks entry/],
      ['whole-log coverage: the rejection dropped', (lines) => lines.filter((line) => line.type !== 'entry'), /lacks entry/],
      ['entry check: an entry line made an event\'s', (lines) => (lines.find((l) => l.type === 'entry').kind = 'attempt', lines), /belong to event lines/],
    ])('%s, re-signed with the log key', async (_case, edit, problem) => {
      const file = rewrite(join(dir, 'resigned.ndjson'), edit(copy(whole.lines)));
      expect(await check(file)).toMatchObject({ ok: false, problem: expect.stringMatching(problem) });
    });

    it('what a filtered export cannot prove: a matching event dropped and the trailer re-signed with the log key passes', async () => {
      const lines = copy(filtered.lines);
      const events = lines.filter((line) => line.type === 'event').length;
      const file = rewrite(join(dir, 'filtered-drop.ndjson'), lines.filter((line) => line !== eventAt(lines, 1)));
      expect(await check(file)).toMatchObject({ ok: true, scope: 'filtered', events: events - 1 });
    });

    it('scope check: a filtered export relabelled whole-log', async () => {
      const lines = copy(filtered.lines);
      lines[0].scope = 'whole_log';
      expect(await check(rewrite(join(dir, 'relabelled.ndjson'), lines))).toMatchObject({ ok: false, problem: expect.stringMatching(/lacks entry/) });
    });

    it('trailer signature: re-signed with another key of the same name', async () => {
      const other = parseSignerKey(generateNoteKey(TEST_ORIGIN).signingKey);
      const file = rewrite(join(dir, 'other-key.ndjson'), copy(whole.lines), other);
      expect(await check(file)).toMatchObject({ ok: false, signed: false, problem: expect.stringMatching(/trailer's signature does not verify/) });
      expect(await check(rewrite(join(dir, 'unsigned.ndjson'), copy(whole.lines), null))).toMatchObject({ ok: false, problem: expect.stringMatching(/not signed/) });
    });

    it('checkpoint signature: the header checkpoint re-signed with another key', async () => {
      const other = parseSignerKey(generateNoteKey(TEST_ORIGIN).signingKey);
      const lines = copy(whole.lines);
      lines[0].checkpoint = signNote(lines[0].checkpoint.split('\n\n')[0] + '\n', other);
      expect(await check(rewrite(join(dir, 'forged-checkpoint.ndjson'), lines))).toMatchObject({ ok: false, problem: expect.stringMatching(/checkpoint does not verify/) });
    });

    it('inclusion proof: a line with proofs to another checkpoint', async () => {
      const partner = await gateway.createPartner();
      await raise(gateway, partner, bulletin({ name: 'grows the tree' }));
      await sealedAndSigned(gateway, TreeSealer);
      const newer = await exported({}, 'newer.ndjson');
      expect(newer.lines[0].checkpoint).not.toBe(whole.lines[0].checkpoint);
      const old = eventAt(whole.lines, 0);
      const lines = newer.lines.map((line) => (line.id === old.id ? old : line));
      expect(await check(rewrite(join(dir, 'mixed.ndjson'), lines))).toMatchObject({ ok: false, problem: expect.stringMatching(/inclusion proof fails/) });
    });

    it('witness quorum: a checkpoint without the cosignatures asked for', async () => {
      const witness = parseWitnessVerifier(generateWitnessKey('witness.example').verifierKey);
      expect(await verifyExportFile(whole.file, { ...trust, witnesses: [witness], quorum: 1 })).toMatchObject({ ok: false, problem: expect.stringMatching(/cosignatures/) });
    });

    it('fails closed: no pinned key, a missing trailer, a line after it', async () => {
      expect(await verifyExportFile(whole.file, undefined)).toMatchObject({ ok: false, problem: expect.stringMatching(/pinned/) });
      const text = readFileSync(whole.file, 'utf8');
      writeFileSync(join(dir, 'cut.ndjson'), text.split('\n').slice(0, -2).join('\n') + '\n');
      expect(await check(join(dir, 'cut.ndjson'))).toMatchObject({ ok: false, problem: expect.stringMatching(/trailer line is missing/) });
      writeFileSync(join(dir, 'after.ndjson'), `${text}${text.split('\n')[1]}\n`);
      expect(await check(join(dir, 'after.ndjson'))).toMatchObject({ ok: false, problem: expect.stringMatching(/follows the trailer/) });
    });
  });
});
