import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { bulletin, raise } from '../support/fixtures.js';
import { ACCOUNT_ID, startGateway, type GatewayHarness } from '../support/gateway-harness.js';
import { runCli } from '../support/gateway-process.js';
import { sealedAndSigned, signingLog } from '../support/audit-log-keys.js';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { generateNoteKey } from '../../src/transparency/signed-note.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';


/**
 * `bulletin-gateway` as an operator runs it: a real process (the compiled CLI) on the same database as a
 * running gateway, judged by its exit code and what it prints.
 */
describe('the bulletin-gateway CLI', () => {
  let database: TestDatabase;
  let gateway: GatewayHarness;
  let events: string[];
  const workDir = mkdtempSync(join(tmpdir(), 'bg-cli-'));

  const cli = (args: string[], env: Record<string, string> = {}) => runCli(database.url, args, { env });

  const ingest = (key: string) => request(gateway.http).post('/1/targets/trigger.json').set(gateway.partnerHeaders(key)).send(bulletin());

  beforeAll(async () => {
    database = await createTestDatabase();
    gateway = await startGateway({ database });
    const key = await gateway.createPartner({ name: 'existing partner' });
    events = [];
    for (const name of ['first', 'second', 'third']) events.push(await raise(gateway, key, bulletin({ name: `CLI ${name}` })));
  });
  afterAll(async () => {
    await gateway.close();
    await database.drop();
  });

  describe('partners', () => {
    let created: { id: string; key: string };

    it('partners:create --json prints the id and the key, and the key works on ingest', async () => {
      const result = await cli(['partners:create', '--name', 'cli partner', '--account', ACCOUNT_ID, '--json']);
      expect(result.code).toBe(0);
      created = JSON.parse(result.stdout);
      expect(Object.keys(created).sort()).toEqual(['id', 'key']);
      expect(created.key).toMatch(/^bgk_[\w-]{40,}$/);
      const response = await ingest(created.key).expect(200);
      expect(response.body).toMatchObject({ status: 'success', event_id: expect.any(String) });
    });

    it('partners:list shows the partner with its key prefix, never the key', async () => {
      const table = await cli(['partners:list']);
      expect(table.code).toBe(0);
      expect(table.stdout).toContain(created.id);
      expect(table.stdout).toContain('cli partner');
      expect(table.stdout).toContain(created.key.slice(0, 10));
      expect(table.stdout).not.toContain(created.key);

      const json = await cli(['partners:list', '--json']);
      expect(json.code).toBe(0);
      expect(json.stdout).not.toContain(created.key);
      expect(JSON.parse(json.stdout)).toContainEqual(
        expect.objectContaining({ id: created.id, name: 'cli partner', role: 'partner', accounts: [ACCOUNT_ID], revoked_at: null }),
      );
    });

    it('partners:revoke makes the key stop working at once', async () => {
      const result = await cli(['partners:revoke', created.id]);
      expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining(`partner ${created.id} revoked`) });
      await ingest(created.key).expect(401);
      const listed = JSON.parse((await cli(['partners:list', '--json'])).stdout);
      expect(listed.find((partner: { id: string }) => partner.id === created.id)).toMatchObject({ revoked_at: expect.any(String), key_prefixes: [] });
    });

    it.each([
      ['a partner without an account', ['partners:create', '--name', 'x']],
      ['an unknown role', ['partners:create', '--name', 'x', '--role', 'root', '--account', ACCOUNT_ID]],
      ['a partner on an account this configuration does not define', ['partners:create', '--name', 'x', '--account', 'ACC-NOT-HERE']],
      ['revoking a malformed id', ['partners:revoke', 'not-an-id']],
      ['revoking an unknown partner', ['partners:revoke', '00000000-0000-4000-8000-000000000000']],
    ])('refuses %s with exit code 1', async (_what, args) => {
      const result = await cli(args);
      expect(result.code).toBe(1);
      expect(result.stderr).not.toBe('');
    });
  });

  describe('partners:create on an account the gateway does not configure', () => {
    it('says which accounts are configured and how to proceed, and creates nothing', async () => {
      const before = await gateway.sql('SELECT count(*)::int AS n FROM partners');
      const result = await cli(['partners:create', '--name', 'typo partner', '--account', 'ACC-TYPO']);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `account ACC-TYPO is not configured here (configured: ${ACCOUNT_ID}), so the partner could not raise bulletins on it. ` +
          "Run the CLI with the gateway's configuration (CLEVERTAP_ACCOUNT_ID or CLEVERTAP_ACCOUNTS_FILE), or pass --force to create the partner anyway",
      );
      expect(await gateway.sql('SELECT count(*)::int AS n FROM partners')).toEqual(before);
    });

    it('creates the partner with --force', async () => {
      const result = await cli(['partners:create', '--name', 'forced partner', '--account', 'ACC-ELSEWHERE', '--force', '--json']);
      expect(result.code).toBe(0);
      const { id } = JSON.parse(result.stdout);
      const [row] = await gateway.sql('SELECT name FROM partners WHERE id = $1', [id]);
      expect(row).toEqual({ name: 'forced partner' });
    });
  });

  describe('--version', () => {
    it("prints package.json's version", async () => {
      const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
      const result = await cli(['--version']);
      expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
    });
  });

  describe('verify', () => {
    it('exits 0 on an intact log and prints the tree summary, saying when no key checked the checkpoints', async () => {
      const result = await cli(['verify']);
      expect(result.code).toBe(0);
      const [, entries] = /log intact: (\d+) entries, (\d+) checkpoints, root ([A-Za-z0-9+/]{43}=)/.exec(result.stdout) ?? [];
      expect(Number(entries)).toBeGreaterThanOrEqual(2 * events.length);
      const [{ total }] = await gateway.sql('SELECT count(*)::int AS total FROM audit_leaves');
      expect(Number(entries)).toBe(total);
      expect(result.stdout).toContain('checkpoint signatures NOT checked: pass --verifier-key');
    });

    it('prints the report as JSON with --json, and takes a pinned verifier key', async () => {
      const { verifier_key } = JSON.parse((await cli(['audit:keygen', '--name', 'cli.example', '--json'])).stdout);
      const result = await cli(['verify', '--json', '--verifier-key', verifier_key]);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, firstProblem: null, signaturesChecked: true });
      expect(await cli(['verify', '--verifier-key', 'not-a-key'])).toMatchObject({ code: 1, stderr: expect.stringContaining('bad key') });
    });
  });

  describe('export and verify-export', () => {
    const flipOneByte = (file: string, target: string) => {
      const bytes = readFileSync(file);
      const at = bytes.indexOf(Buffer.from(target));
      expect(at).toBeGreaterThan(0);
      bytes[at] = bytes[at] ^ 0x01; // 'C' becomes 'B': still valid JSON, different content
      writeFileSync(file, bytes);
    };

    it('exports NDJSON; verify-export fails closed without a pinned key, and on an unsigned export', async () => {
      const file = join(workDir, 'events.ndjson');
      const exported = await cli(['export', '--format', 'ndjson', '--out', file]);
      expect(exported.code).toBe(0);
      expect(exported.stdout).toMatch(/^\d+ events written to /);
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(lines.filter((line) => line.type === 'event').map((line) => line.id)).toEqual(expect.arrayContaining(events));

      const unpinned = await cli(['verify-export', file]);
      expect(unpinned).toMatchObject({ code: 1, stderr: expect.stringContaining('--verifier-key is required') });
      const keygen = JSON.parse((await cli(['audit:keygen', '--name', 'cli.example', '--json'])).stdout);
      const unsigned = await cli(['verify-export', file, '--verifier-key', keygen.verifier_key]);
      expect(unsigned).toMatchObject({ code: 1, stdout: expect.stringContaining('EXPORT INVALID: the export names no checkpoint') });
    });

    it('audit:keygen prints a signed-note key pair, exactly {"signing_key", "verifier_key"} with --json', async () => {
      const keygen = await cli(['audit:keygen', '--name', 'gateway.example/log']);
      expect(keygen.stdout).toMatch(/^AUDIT_SIGNING_KEY=PRIVATE\+KEY\+gateway\.example\/log\+[0-9a-f]{8}\+\S+\n# verifier key[^:]*: gateway\.example\/log\+[0-9a-f]{8}\+\S+\n$/);
      const json = JSON.parse((await cli(['audit:keygen', '--name', 'gateway.example/log', '--json'])).stdout);
      expect(Object.keys(json)).toEqual(['signing_key', 'verifier_key']);
      expect((await cli(['audit:keygen', '--name', 'has space'])).code).toBe(1);
    });

    it('exports against the latest checkpoint, signed with AUDIT_SIGNING_KEY, and verify-export proves it with the pinned verifier key', async () => {
      // A gateway with the log key signs the checkpoint the CLI's export is made against.
      const signing = signingLog('cli.example');
      const signer = await startGateway({ database, env: { ...signing.env, AUDIT_SEAL_INTERVAL_MS: '3600000' } });
      try {
        await sealedAndSigned(signer, TreeSealer);
      } finally {
        await signer.close();
      }
      const other = generateNoteKey('cli.example').verifierKey;
      const file = join(workDir, 'signed.ndjson');

      const exported = await cli(['export', '--format', 'ndjson', '--out', file, '--status', 'sent'], {
        AUDIT_SIGNING_KEY: signing.signingKey,
        AUDIT_STATE_DIR: signing.stateDir,
      });
      expect(exported).toMatchObject({ code: 0, stdout: expect.stringMatching(/proven against the checkpoint of size \d+, signed/) });
      const verified = await cli(['verify-export', file, '--verifier-key', signing.verifierKey]);
      expect(verified).toMatchObject({ code: 0, stdout: expect.stringMatching(/^export proven: \d+ events .*a filtered export cannot prove that no matching event is missing/) });
      expect(await cli(['verify-export', file, '--public-key', signing.verifierKey])).toMatchObject({ code: 0 }); // the option's earlier name
      expect((await cli(['verify-export', file, '--verifier-key', other])).code).toBe(1);
      flipOneByte(file, 'CLI first');
      const tampered = await cli(['verify-export', file, '--verifier-key', signing.verifierKey]);
      expect(tampered).toMatchObject({ code: 1, stdout: expect.stringContaining('EXPORT INVALID') });
    });

    it('exports CSV with the same filters', async () => {
      const file = join(workDir, 'events.csv');
      const exported = await cli(['export', '--format', 'csv', '--out', file, '--status', 'failed']);
      expect(exported.code).toBe(0);
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1); // the header row: nothing failed
    });

    it.each([
      ['an unknown format', ['--format', 'xml']],
      ['an unknown status', ['--status', 'bogus']],
      ['a malformed date', ['--from', 'yesterday']],
    ])('refuses %s with exit code 1', async (_what, args) => {
      const result = await cli(['export', '--out', join(workDir, 'refused.ndjson'), ...args]);
      expect(result.code).toBe(1);
    });
  });

  describe('projections:check', () => {
    it('reports a match, then the difference made by hand (exit 1), and --repair rebuilds it from the log', async () => {
      const matching = await cli(['projections:check']);
      expect(matching).toMatchObject({ code: 0, stdout: expect.stringMatching(/projection matches the log \(\d+ events\)/) });

      const [tampered] = events;
      await gateway.sql(`UPDATE event_status SET status = 'failed' WHERE event_id = $1`, [tampered]);
      const differing = await cli(['projections:check']);
      expect(differing.code).toBe(1);
      expect(differing.stdout).toContain(tampered);
      expect(differing.stdout).toMatch(/1 differences/);

      const repaired = await cli(['projections:check', '--repair']);
      expect(repaired).toMatchObject({ code: 0, stdout: expect.stringContaining('repaired 1 rows') });
      expect((await gateway.sql('SELECT status FROM event_status WHERE event_id = $1', [tampered]))[0].status).toBe('sent');
      expect(await cli(['projections:check'])).toMatchObject({ code: 0, stdout: expect.stringContaining('projection matches the log') });
    });
  });
});
