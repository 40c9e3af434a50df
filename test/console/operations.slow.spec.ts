import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import request from 'supertest';
import { bearer, bulletin, partnerIdOf, raise } from '../support/fixtures.js';
import { ACCOUNT_ID, type GatewayHarness, startGateway } from '../support/gateway-harness.js';
import { waitFor } from '../support/wait-for.js';

/**
 * The Operations screen's load panels in a real browser: the backlog by partner and lane on an account
 * whose slots CleverTap holds, the wait chart drawn from the first attempts in the log, and the admin's
 * form for a partner's weight and limits. Screenshots go to test-output/console.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const withBrowser = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOTS = join(ROOT, 'test-output', 'console');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let gateway: GatewayHarness;
let baseUrl: string;
let browser: Browser;
const keys = { operator: '', admin: '', a: '', b: '' };
const ids = { a: '', b: '' };

withBrowser('the Operations screen: backlog, wait chart and partner settings', () => {
  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist', 'console', 'index.html')))
      execFileSync('npm', ['run', 'build:console', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    mkdirSync(SCREENSHOTS, { recursive: true });
    gateway = await startGateway({ env: { UPSTREAM_TIMEOUT_MS: '120000', SHUTDOWN_GRACE_MS: '500', RETRY_SCHEDULE: '10m' } });
    await gateway.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(gateway.app.getHttpServer().address() as AddressInfo).port}`;
    keys.operator = await gateway.createPartner({ role: 'operator', accounts: [], name: 'Olivia (operations)' });
    keys.admin = await gateway.createPartner({ role: 'admin', accounts: [], name: 'Ada (admin)' });
    keys.a = await gateway.createPartner({ name: 'Alpha CMS' });
    keys.b = await gateway.createPartner({ name: 'Beta billing' });
    ids.a = await partnerIdOf(gateway, keys.a);
    ids.b = await partnerIdOf(gateway, keys.b);

    // Waits for the chart: first attempts that are over.
    for (let i = 0; i < 4; i++) await raise(gateway, keys.a, bulletin({ properties: { program_id: `sent-${i}` } }));
    gateway.simulator.addFault({ kind: '5xx', status: 503, remaining: 1 });
    await raise(gateway, keys.b, bulletin({ name: 'to be retried' }));
    // CleverTap holds the next three requests: A's first three take the account's slots, the rest wait.
    gateway.simulator.addFault({ kind: 'hang', remaining: 3 });
    const post = (key: string, programId: string) =>
      request(gateway.http)
        .post('/1/targets/trigger.json')
        .set(gateway.partnerHeaders(key))
        .set('Prefer', 'respond-async')
        .send(bulletin({ properties: { program_id: programId } }))
        .expect(202);
    for (let i = 0; i < 8; i++) await post(keys.a, `a-${i}`);
    await waitFor(async () => gateway.simulator.stats().inFlight[ACCOUNT_ID] === 3, 10_000, 'three requests held by CleverTap');
    for (let i = 0; i < 2; i++) await post(keys.b, `b-${i}`);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.simulator.stop(); // lets the held requests go, so the gateway need not wait for them
    await gateway?.close();
  });

  async function operationsAs(key: string, viewport = DESKTOP, options: { bypassCSP?: boolean } = {}) {
    const context = await browser.newContext({ viewport, ...options });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${baseUrl}/console`);
    await page.getByLabel('Gateway key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor();
    await page.goto(`${baseUrl}/console#/operations`);
    await page.getByRole('heading', { level: 1, name: 'Operations' }).waitFor();
    return { context, page };
  }

  const partnerRow = (page: Page, partnerId: string) => page.locator(`[data-backlog-account="${ACCOUNT_ID}"] tr[data-partner-id="${partnerId}"]`);
  const laneCell = (page: Page, partnerId: string, lane: string) => partnerRow(page, partnerId).locator(`td[data-lane="${lane}"]`);

  it('shows each account\'s backlog by partner and lane and the wait over the last hour as a chart, without the admin form for an operator', async () => {
    const { context, page } = await operationsAs(keys.operator);
    await partnerRow(page, ids.a).waitFor();
    expect(await page.locator(`[data-backlog-account="${ACCOUNT_ID}"] h3`).innerText()).toMatch(/10 queued, 1 retrying, 3 in flight/);
    expect(await laneCell(page, ids.a, 'live').innerText()).toMatch(/^8\s+3 in flight$/);
    expect(await laneCell(page, ids.a, 'retry').innerText()).toBe('0');
    expect(await laneCell(page, ids.b, 'live').innerText()).toBe('2');
    expect(await laneCell(page, ids.b, 'retry').innerText()).toMatch(/^1\s+1 retrying$/);
    expect(await partnerRow(page, ids.b).locator('th').innerText()).toBe('Beta billing');

    const chart = page.getByTestId('wait-chart');
    await chart.waitFor();
    expect(await page.getByTestId('wait-summary').innerText()).toMatch(/^Over the last hour, 5 first attempts waited a median of [\d.]+ m?s/);
    const svg = chart.getByRole('img', { name: 'Wait before the first attempt, last hour' });
    expect(await svg.count()).toBe(1);
    // The median and the maximum are drawn (a point or a line, depending on how the attempts fell into minutes).
    expect(await chart.locator('.chart-p50, .chart-p50-dot').count()).toBeGreaterThan(0);
    expect(await chart.locator('.chart-p95').count()).toBeGreaterThan(0);
    await page.getByText('The figures as a table').click();
    const counts = await page.locator('.wait-table tbody td:nth-child(2)').allInnerTexts();
    expect(counts.reduce((sum, text) => sum + Number(text), 0)).toBe(5);

    // The screen refreshes itself: another event of B's shows up without a reload.
    await request(gateway.http)
      .post('/1/targets/trigger.json')
      .set(gateway.partnerHeaders(keys.b))
      .set('Prefer', 'respond-async')
      .send(bulletin({ properties: { program_id: 'b-late' } }))
      .expect(202);
    await waitFor(async () => (await laneCell(page, ids.b, 'live').innerText()) === '3', 15_000, 'the backlog to refresh');
    expect(await page.getByRole('heading', { name: 'Partner weights and limits' }).count()).toBe(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'operations-backlog-1280.png'), fullPage: true });
    await context.close();
  });

  it('lets an admin change a partner\'s weight through the form, showing the API\'s refusal next to it', async () => {
    const { context, page } = await operationsAs(keys.admin);
    const settings = page.locator('section', { has: page.getByRole('heading', { name: 'Partner weights and limits' }) });
    const row = settings.locator(`tr[data-partner-id="${ids.a}"]`);
    await row.waitFor();
    expect(await row.locator('td[data-field="weight"]').innerText()).toBe('default');
    expect(await settings.locator('tbody tr').count()).toBe(2); // the partners, not the operator and admin keys

    await row.getByRole('button', { name: 'Edit Alpha CMS' }).click();
    await page.getByRole('heading', { name: 'Settings of Alpha CMS' }).waitFor();
    await page.getByLabel('Weight', { exact: true }).fill('0');
    await page.getByLabel('Max backlog', { exact: true }).fill('500');
    await page.getByRole('button', { name: 'Save settings' }).click();
    const refusal = settings.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toMatch(/weight must not be less than 1/);
    expect(await page.getByLabel('Weight', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Max backlog', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    await page.screenshot({ path: join(SCREENSHOTS, 'operations-partner-refused-1280.png'), fullPage: true });

    await page.getByLabel('Weight', { exact: true }).fill('4');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved: Alpha CMS now has weight 4.').waitFor();
    expect(await row.locator('td[data-field="weight"]').innerText()).toBe('4');
    expect(await row.locator('td[data-field="max_backlog"]').innerText()).toBe('500');

    const listed = await request(gateway.http).get('/v1/partners').set(bearer(keys.admin)).expect(200);
    expect(listed.body.data.find((partner: { id: string }) => partner.id === ids.a)).toEqual(
      expect.objectContaining({ weight: 4, rate_limit_per_second: null, rate_limit_burst: null, max_backlog: 500 }),
    );
    const [stored] = await gateway.sql('SELECT dispatch_weight FROM partner_settings WHERE partner_id = $1', [ids.a]);
    expect(stored.dispatch_weight).toBe(4);

    // Emptying a field sends null: back to the default.
    await page.getByLabel('Max backlog', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await waitFor(async () => (await row.locator('td[data-field="max_backlog"]').innerText()) === 'default', 10_000, 'max backlog back to default');

    await page.getByRole('button', { name: 'Close' }).click();
    await waitFor(async () => (await page.evaluate<string | null>(`document.activeElement?.getAttribute('aria-label') ?? null`)) === 'Edit Alpha CMS', 5_000, 'focus back on the Edit button');
    expect(await page.getByRole('heading', { name: 'Settings of Alpha CMS' }).count()).toBe(0);
    await context.close();
  });

  it('has no accessibility violations on the Operations screen, with the chart and the form, at desktop and phone width (axe-core)', async () => {
    const found: string[] = [];
    for (const viewport of [DESKTOP, PHONE]) {
      const { context, page } = await operationsAs(keys.admin, viewport, { bypassCSP: true });
      await page.getByTestId('wait-chart').waitFor();
      await page.locator(`tr[data-partner-id="${ids.b}"]`).first().waitFor();
      await page.getByRole('button', { name: 'Edit Beta billing' }).click();
      await page.getByLabel('Weight', { exact: true }).fill('101');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText(/weight must not be greater than 100/).waitFor();
      await page.getByText('The figures as a table').click();
      await page.addScriptTag({ path: AXE });
      const result = await page.evaluate<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }>(
        `axe.run(document, { resultTypes: ['violations'] })`,
      );
      found.push(...result.violations.map((v) => `${viewport.width}px: ${v.id} (${v.impact}) at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
      if (viewport === PHONE) await page.screenshot({ path: join(SCREENSHOTS, 'operations-load-390.png'), fullPage: true });
      await context.close();
    }
    expect(found).toEqual([]);
  });
});
