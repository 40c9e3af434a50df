import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { verifyExportFile } from '../../src/audit-api/export-verifier.js';
import { parseVerifierKey } from '../../src/transparency/signed-note.js';
import { TreeSealer } from '../../src/audit-log/tree-sealer.service.js';
import { generateNoteKey } from '../../src/transparency/signed-note.js';
import { sealedAndSigned, signingLog, TEST_ORIGIN } from '../support/audit-log-keys.js';
import { bulletin, raise } from '../support/fixtures.js';
import { ACCOUNT_ID, type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The audit console in a real browser (Debian's chromium driven by playwright-core) against the real
 * gateway, database and CleverTap simulator. Screenshots of the main screens go to test-output/console.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * A developer's machine may have no Chromium (the README's `npm test` needs only Node.js): there these
 * browser tests are skipped with a warning. CI installs Chromium (.ci/run) and sets CI, so there a
 * missing browser fails instead of passing quietly.
 */
const withBrowser = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;
if (!existsSync(CHROMIUM) && !process.env.CI)
  console.warn(`console browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOTS = join(ROOT, 'test-output', 'console');
const KEY_STORAGE = 'bulletin-gateway.console.key';
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

const SENT_NAMES = [
  'Sa Re Ga Ma episode 12',
  'Sa Re Ga Ma episode 13',
  'Evening news bulletin',
  'Cricket highlights',
  'Morning yoga',
  'Kids cartoon hour',
  'Late night movie',
  'Weekend quiz',
  'Cooking with Meera',
];

let gateway: GatewayHarness;
let baseUrl: string;
let browser: Browser;
/** The log's verifier key, as an auditor gets it from the operator out of band. */
let logVerifierKey: string;
const keys = { operator: '', auditor: '', partner: '' };
const exhaustedIds: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does it), or set CHROMIUM_PATH`);
  if (!existsSync(join(ROOT, 'dist', 'console', 'index.html')))
    execFileSync('npm', ['run', 'build:console', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  mkdirSync(SCREENSHOTS, { recursive: true });

  const signing = signingLog();
  logVerifierKey = signing.verifierKey;
  gateway = await startGateway({
    env: {
      RETRY_SCHEDULE: '100ms,100ms',
      UPSTREAM_TIMEOUT_MS: '400',
      CIRCUIT_FAILURE_THRESHOLD: '50',
      ...signing.env,
    },
  });
  await gateway.app.listen(0, '127.0.0.1');
  baseUrl = `http://127.0.0.1:${(gateway.app.getHttpServer().address() as AddressInfo).port}`;

  keys.operator = await gateway.createPartner({ role: 'operator', accounts: [], name: 'Olivia (operations)' });
  keys.auditor = await gateway.createPartner({ role: 'auditor', accounts: [], name: 'Audrey (compliance)' });
  keys.partner = await gateway.createPartner({ name: 'Content platform' });

  for (const [i, name] of SENT_NAMES.entries()) await raise(gateway, keys.partner, bulletin({ name, properties: { program_id: `p-${i}` } }));
  await raise(gateway, keys.partner, bulletin({ business_event: 'Unknown Event', name: 'Mystery launch' }));
  // Two events that meet a CleverTap outage (every attempt 503) and end exhausted, for the replay.
  for (const name of ['Outage: election results', 'Outage: storm warning']) {
    gateway.simulator.addFault({ kind: '5xx', status: 503, remaining: 3 });
    const id = await raise(gateway, keys.partner, bulletin({ name, properties: { program_id: name } }), { async: true });
    await waitFor(async () => (await gateway.timeline(id)).status === 'exhausted', 15_000, `${name} exhausted`);
    exhaustedIds.push(id);
  }
  // One that CleverTap may have raised: the answer never came.
  gateway.simulator.addFault({ kind: 'hang', remaining: 1 });
  const uncertain = await raise(gateway, keys.partner, bulletin({ name: 'Breaking: timeout', properties: { program_id: 'u-1' } }), { async: true });
  await waitFor(async () => (await gateway.timeline(uncertain)).status === 'uncertain', 15_000, 'uncertain event');

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await gateway?.close();
});

const TOTAL_EVENTS = SENT_NAMES.length + 1 + 2 + 1;

/** A fresh browser context per test: its own sessionStorage, so nobody is signed in. */
async function newPage(viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${baseUrl}/console`);
  await page.getByLabel('Gateway key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
}

async function screenshot(page: Page, name: string, viewport = DESKTOP): Promise<void> {
  await page.setViewportSize(viewport);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const eventRows = (page: Page) => page.locator('table.events-table tbody tr');

async function expectRows(page: Page, count: number): Promise<void> {
  await waitFor(async () => (await eventRows(page).count()) === count && !(await page.locator('section[aria-busy="true"]').count()), 10_000, `${count} event rows`);
}

const focusedElement = (page: Page) => page.evaluate<string>(`(() => {
  const el = document.activeElement;
  return el ? el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ':' + (el.textContent || '').trim().slice(0, 60) : '';
})()`);

const api = (key: string, path: string, init: RequestInit = {}) =>
  fetch(`${baseUrl}${path}`, { ...init, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json', ...init.headers } });

withBrowser('the audit console', () => {
  it('is served by the gateway at /console from built assets, with a strict content security policy', async () => {
    const page = await fetch(`${baseUrl}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toEqual(expect.stringContaining("script-src 'self'"));
    expect(page.headers.get('content-security-policy')).toEqual(expect.stringContaining("form-action 'none'"));
    const html = await page.text();
    const script = /src="(\/console\/assets\/app-[\w]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${baseUrl}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(html).not.toMatch(/https?:\/\//); // nothing from a CDN

    const missing = await fetch(`${baseUrl}/console/assets/..%2F..%2Fpackage.json`);
    expect(missing.status).toBe(404);
  });

  it('signs an operator in with the keyboard, and keeps the key out of the URL and the logs', async () => {
    const { context, page } = await newPage();
    await page.goto(`${baseUrl}/console`);
    await page.getByRole('heading', { level: 1, name: 'Audit console' }).waitFor();
    expect(await focusedElement(page)).toMatch(/^input#key/);
    await screenshot(page, 'sign-in-1280');

    await page.keyboard.type(keys.operator);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
    expect(await focusedElement(page)).toMatch(/^h1:Events/);
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Events', 'Integrity', 'Operations']);
    expect(await page.getByTestId('identity').textContent()).toContain('Olivia (operations)');

    expect(page.url()).not.toContain(keys.operator);
    expect(await page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(KEY_STORAGE)})`)).toBe(keys.operator);
    expect(gateway.logs.text).toContain('/v1/whoami'); // the calls are logged...
    expect(gateway.logs.text).not.toContain(keys.operator); // ...without the key

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Audit console' }).waitFor();
    expect(await page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(KEY_STORAGE)})`)).toBeNull();
    await context.close();
  });

  it('lists events newest first with counts by status, filters them and pages with the cursor', async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.operator);
    await page.getByLabel('Rows per page').selectOption('10');
    await expectRows(page, 10);
    await page.getByRole('button', { name: `All ${TOTAL_EVENTS}` }).waitFor();
    for (const label of [`Sent ${SENT_NAMES.length}`, 'Failed 1', 'Exhausted 2', 'Uncertain 1', 'Queued 0'])
      await page.getByRole('button', { name: label }).waitFor();
    expect(await eventRows(page).first().locator('.event-link').textContent()).toBe('Breaking: timeout');
    await screenshot(page, 'events-1280');

    await page.getByRole('button', { name: 'Older →' }).click();
    await expectRows(page, TOTAL_EVENTS - 10);
    expect(await page.getByText('Page 2', { exact: true }).count()).toBe(1);
    expect(await eventRows(page).last().locator('.event-link').textContent()).toBe(SENT_NAMES[0]);
    expect(await page.getByRole('button', { name: 'Older →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← Newer' }).click();
    await expectRows(page, 10);

    await page.getByLabel('Business event').fill('Unknown Event');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expectRows(page, 1);
    expect(await eventRows(page).locator('.event-link').textContent()).toBe('Mystery launch');
    expect(await eventRows(page).locator('.badge').textContent()).toBe('Failed');
    await page.getByRole('button', { name: 'All 1' }).waitFor();

    await page.getByRole('button', { name: 'Clear' }).click();
    await expectRows(page, 10);
    await page.getByText('More filters').click();
    await page.getByLabel('Error contains').fill('Simulated 503');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expectRows(page, 2);
    await page.getByRole('button', { name: 'All 2' }).waitFor();

    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByRole('button', { name: /^Exhausted 2/ }).click();
    await expectRows(page, 2);
    expect(await page.getByRole('button', { name: /^Exhausted 2/ }).getAttribute('aria-pressed')).toBe('true');
    expect((await eventRows(page).locator('.badge').allTextContents()).every((text) => text === 'Exhausted')).toBe(true);

    await page.getByLabel('Name contains').fill('storm');
    await page.getByLabel('Name contains').press('Enter');
    await expectRows(page, 1);
    await screenshot(page, 'events-390', PHONE);
    await context.close();
  });

  it('opens the timeline of a failed event from the list with the keyboard', async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.auditor);
    await page.getByLabel('Business event').fill('Unknown Event');
    await page.getByLabel('Business event').press('Enter');
    await expectRows(page, 1);

    await page.getByRole('link', { name: 'Mystery launch' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: /Mystery launch/ }).waitFor();
    expect(await focusedElement(page)).toMatch(/^h1:Mystery launch/);
    expect(page.url()).toMatch(/#\/events\/[0-9a-f-]{36}$/);

    const timeline = page.locator('ol.timeline > li');
    expect(await timeline.count()).toBe(2);
    expect(await timeline.nth(0).locator('h3').textContent()).toMatch(/^Received/);
    const attempt = timeline.nth(1);
    expect(await attempt.locator('h3').textContent()).toMatch(/^Attempt 1 \(auto\)/);
    const facts = await attempt.locator('dl').innerText();
    expect(facts).toMatch(/HTTP status\s+400/);
    expect(facts).toMatch(/Business Event Not Found/);
    expect(facts).toMatch(/Latency\s+\d+ ms/);
    expect(await page.locator('pre.payload').textContent()).toContain('"business_event": "Unknown Event"');
    await screenshot(page, 'timeline-1280');
    await screenshot(page, 'timeline-390', PHONE);

    await page.setViewportSize(DESKTOP);
    await page.getByRole('link', { name: '← Back to events' }).click();
    await expectRows(page, 1); // the list comes back with its filter
    await context.close();
  });

  it('shows the last verification, runs one on demand, and downloads a signed export of the current filter', async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.auditor);
    await page.getByRole('button', { name: /^Sent \d+/ }).click();
    await expectRows(page, SENT_NAMES.length);

    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Integrity' }).click();
    await page.getByRole('heading', { level: 1, name: 'Integrity' }).waitFor();
    const checkpoint = await page.getByTestId('checkpoint').innerText();
    expect(checkpoint).toContain('✓ Signing');
    expect(checkpoint).toMatch(/Origin\s+test\.bulletin-gateway\.example\/log/);
    expect(checkpoint).toMatch(/Tree size\s+[1-9]/);
    await page.getByText('The log has not been verified yet.').waitFor();
    await page.getByRole('button', { name: 'Verify the log now' }).click();
    await page.getByText('✓ Log intact').waitFor();
    const verification = await page.getByTestId('verification').innerText();
    expect(verification).toMatch(/Entries checked\s+[1-9]/);
    expect(verification).toContain('Audrey (compliance)');

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Integrity' }).waitFor();
    await page.getByText('✓ Log intact').waitFor(); // the stored result, after a reload in the same tab
    expect(await page.getByTestId('export-filter').textContent()).toBe('all events'); // the filter lives in the page, not the URL

    await page.getByRole('link', { name: 'Events', exact: true }).click();
    await page.getByRole('button', { name: /^Sent \d+/ }).click();
    await expectRows(page, SENT_NAMES.length);
    await page.getByRole('link', { name: 'Integrity', exact: true }).click();
    expect(await page.getByTestId('export-filter').textContent()).toBe('status = sent');
    expect(await page.getByLabel(/^NDJSON/).isChecked()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^bulletin-events-.+\.ndjson$/);
    const file = join(mkdtempSync(join(tmpdir(), 'console-export-')), download.suggestedFilename());
    await download.saveAs(file);
    expect(await verifyExportFile(file, { log: parseVerifierKey(logVerifierKey) })).toMatchObject({ ok: true, signed: true, scope: 'filtered' });
    const events = readFileSync(file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((line) => line.type === 'event');
    expect(events).toHaveLength(SENT_NAMES.length);
    await page.getByText(/^Saved bulletin-events-/).waitFor();
    await screenshot(page, 'integrity-1280');
    await screenshot(page, 'integrity-390', PHONE);
    await context.close();
  });

  it('checks the checkpoint and an event\'s proof in the browser against the log key the auditor pins', async () => {
    await sealedAndSigned(gateway, TreeSealer);
    const [sent] = await gateway.sql(`SELECT e.id FROM bulletin_events e WHERE e.payload->>'name' = 'Cricket highlights'`);
    const { context, page } = await newPage();
    await signIn(page, keys.auditor);

    await page.goto(`${baseUrl}/console#/events/${sent.id}`);
    await page.getByText('No log key is pinned in this browser.').waitFor();

    await page.goto(`${baseUrl}/console#/integrity`);
    await page.getByLabel(/^Log verifier key/).fill('not-a-key');
    await page.getByRole('button', { name: 'Pin this key' }).click();
    await page.getByText('the pinned key is not a verifier key').waitFor();
    // A key of the same name that is not the log's: the checkpoint must fail in the browser.
    await page.getByLabel(/^Log verifier key/).fill(generateNoteKey(TEST_ORIGIN).verifierKey);
    await page.getByRole('button', { name: 'Pin this key' }).click();
    expect(await page.getByTestId('pinned-key-verdict').innerText()).toContain('✗ NOT signed by the pinned log key');
    await page.getByRole('button', { name: 'Remove the pinned key' }).click();
    await page.getByLabel(/^Log verifier key/).fill(logVerifierKey);
    await page.getByRole('button', { name: 'Pin this key' }).click();
    expect(await page.getByTestId('pinned-key-verdict').innerText()).toContain('✓ Checked in this browser: signed by the pinned log key');

    await page.goto(`${baseUrl}/console#/events/${sent.id}`);
    await page.getByText('✓ Proven in the log').waitFor();
    const proof = await page.locator('section', { has: page.getByRole('heading', { name: 'Proof of inclusion' }) }).innerText();
    expect(proof).toMatch(/Entries proven\s+2/); // the event and its one attempt
    expect(proof).toContain(`${TEST_ORIGIN}`);
    await screenshot(page, 'proof-1280');
    await context.close();
  });

  it('lets an operator replay exhausted events: accounts first, then a dry run with a sample, a required reason, and progress', async () => {
    const { context, page } = await newPage();
    const replayPosts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/v1/replays')) replayPosts.push(request.postData() ?? '');
    });
    await signIn(page, keys.operator);
    await page.getByRole('link', { name: 'Operations' }).click();
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();

    const account = page.locator(`tr[data-account-id="${ACCOUNT_ID}"]`);
    await account.waitFor();
    expect(await account.innerText()).toMatch(/Closed \(sending\)/);
    expect(await account.innerText()).toMatch(/0 \/ 3/);

    await page.getByLabel('Status', { exact: true }).selectOption('exhausted');
    await page.getByRole('button', { name: 'Dry run: count and sample' }).click();
    await page.getByText('Say why these events are being replayed').waitFor();
    expect(await focusedElement(page)).toMatch(/^textarea#replay-reason/);
    expect(replayPosts).toEqual([]); // refused before anything was asked of the gateway

    await page.getByLabel(/^Reason/).fill('CleverTap outage drill');
    await page.getByRole('button', { name: 'Dry run: count and sample' }).click();
    await page.getByRole('heading', { name: 'Dry run: 2 of 2 matching events would be queued' }).waitFor();
    expect(await page.locator('.sample-table tbody tr').count()).toBe(2);
    expect(JSON.parse(replayPosts[0])).toEqual({ status: 'exhausted', reason: 'CleverTap outage drill', dry_run: true });
    expect(await gateway.sql('SELECT id FROM replay_requests')).toEqual([]); // a dry run records nothing
    await screenshot(page, 'operations-dry-run-1280');

    await page.getByRole('button', { name: 'Replay 2 events' }).click();
    await page.getByRole('heading', { name: 'Replay finished' }).waitFor({ timeout: 20_000 });
    const progress = await page.getByTestId('replay-progress').innerText();
    expect(progress).toMatch(/Queued\s+2/);
    expect(progress).toMatch(/Sent\s+2/);
    expect(progress).toMatch(/Failed\s+0/);
    expect(progress).toContain('CleverTap outage drill');
    await screenshot(page, 'operations-replay-1280');
    await screenshot(page, 'operations-390', PHONE);

    await page.setViewportSize(DESKTOP);
    await page.goto(`${baseUrl}/console#/events/${exhaustedIds[0]}`);
    await page.getByRole('heading', { level: 1, name: /Outage: election results/ }).waitFor();
    const replayEntry = page.locator('li.entry-replay_requested');
    expect(await replayEntry.innerText()).toMatch(/By\s+Olivia \(operations\)/);
    expect(await replayEntry.innerText()).toMatch(/Reason\s+CleverTap outage drill/);
    expect(await page.locator('li.entry-attempt h3').last().textContent()).toMatch(/Attempt 4 \(replay\).*Sent/);
    await context.close();
  });

  it('has no accessibility violations on its screens at desktop and phone width (axe-core)', async () => {
    // bypassCSP lets the test inject axe; the console itself never runs inline scripts.
    const context = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
    const page = await context.newPage();
    const violations = async (where: string) => {
      const result = await page.evaluate<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>(
        `axe.run(document, { resultTypes: ['violations'] })`,
      );
      return result.violations.map((v) => `${where}: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    };
    const found: string[] = [];
    await page.goto(`${baseUrl}/console`);
    await page.addScriptTag({ path: AXE });
    await page.getByLabel('Gateway key').waitFor();
    found.push(...(await violations('sign-in')));
    await page.getByLabel('Gateway key').fill(keys.operator);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const screens: [string, string, RegExp][] = [
      ['events', '#/events', /^Events$/],
      ['timeline', `#/events/${exhaustedIds[1]}`, /Outage: storm warning/],
      ['integrity', '#/integrity', /^Integrity$/],
      ['operations', '#/operations', /^Operations$/],
    ];
    for (const viewport of [DESKTOP, PHONE]) {
      await page.setViewportSize(viewport);
      for (const [name, hash, heading] of screens) {
        await page.goto(`${baseUrl}/console${hash}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.locator('[aria-busy="true"]').waitFor({ state: 'detached' }).catch(() => undefined);
        found.push(...(await violations(`${name} at ${viewport.width}px`)));
      }
    }
    expect(found).toEqual([]);
    await context.close();
  });

  it('hides Operations from an auditor, refuses the screen, and the API refuses the auditor a replay', async () => {
    const { context, page } = await newPage();
    await signIn(page, keys.auditor);
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Events', 'Integrity']);

    await page.goto(`${baseUrl}/console#/operations`);
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/open to operator and admin keys only/);
    expect(await page.getByRole('button', { name: /Dry run/ }).count()).toBe(0);
    await screenshot(page, 'auditor-operations-refused-1280');

    const replay = await api(keys.auditor, '/v1/replays', { method: 'POST', body: JSON.stringify({ status: 'failed', reason: 'not mine to do', dry_run: true }) });
    expect(replay.status).toBe(403);
    expect(replay.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await api(keys.auditor, '/v1/accounts')).status).toBe(403);
    await context.close();
  });

  it('refuses a partner key and an unknown key with a clear message', async () => {
    const { context, page } = await newPage(PHONE);
    await page.goto(`${baseUrl}/console`);
    await page.getByLabel('Gateway key').fill(keys.partner);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('This is a partner key.').waitFor();
    expect(await page.getByLabel('Gateway key').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'sign-in-partner-refused-390', PHONE);

    await page.getByLabel('Gateway key').fill('bgk_not-a-key-the-gateway-knows');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('The gateway does not know this key').waitFor();
    expect(await page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(KEY_STORAGE)})`)).toBeNull();
    await context.close();
  });

  it('shows an erased payload as erased, with when and why, and the erasure in the timeline', async () => {
    const admin = await gateway.createPartner({ role: 'admin', accounts: [] });
    const id = await raise(gateway, keys.partner, bulletin({ name: 'Erased on request' }));
    const erased = await api(admin, `/v1/events/${id}/erasure`, { method: 'POST', body: JSON.stringify({ reason: 'DSR-2026-0042' }) });
    expect(erased.status).toBe(201);
    const { context, page } = await newPage();
    await signIn(page, keys.auditor);
    await page.goto(`${baseUrl}/console#/events/${id}`);
    await page.locator('p', { hasText: /^Erased .*: DSR-2026-0042\./ }).waitFor();
    expect(await page.locator('pre.payload').count()).toBe(0);
    expect(await page.locator('ol.timeline > li h3').last().textContent()).toMatch(/^Payload erased/);
    await context.close();
  });
});
