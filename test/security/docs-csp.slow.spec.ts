import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** As in the console's browser tests: skipped without Chromium on a developer's machine, required in CI. */
const withBrowser = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

/** Swagger UI must work under the Content-Security-Policy every route carries (docs/security.md). */
withBrowser('Swagger UI at /docs under the security headers', () => {
  let gateway: GatewayHarness;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    gateway = await startGateway();
    await gateway.app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(gateway.http.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('renders the API description with no CSP violation', async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(`${baseUrl}/docs`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await page.waitForSelector('.swagger-ui .info .title', { timeout: 15_000 });
    await page.waitForSelector('.opblock', { timeout: 15_000 });
    expect(violations).toEqual([]);
  }, 60_000);
});
