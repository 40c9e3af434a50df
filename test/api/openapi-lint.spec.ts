import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';

const run = promisify(execFile);
const REDOCLY = resolve('node_modules/@redocly/cli/bin/cli.js');

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: { pointer?: string }[];
}

/** The document the running gateway serves, linted with redocly.yaml (Redocly's recommended rules), offline. */
async function lint(document: unknown): Promise<LintProblem[]> {
  const folder = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
  try {
    const file = join(folder, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    // Redocly exits 1 when it finds errors; its JSON report is on stdout either way.
    const result = await run(process.execPath, [REDOCLY, 'lint', file, '--config', resolve('redocly.yaml'), '--format', 'json', '--max-problems', '1000'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => {
      if (!error.stdout) throw new Error(`redocly lint failed to run: ${error.stderr}`);
      return { stdout: error.stdout };
    });
    return (JSON.parse(result.stdout) as { problems: LintProblem[] }).problems;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

describe('the OpenAPI document, linted', () => {
  let gateway: GatewayHarness;
  let document: Record<string, any>;

  beforeAll(async () => {
    gateway = await startGateway();
    document = (await request(gateway.http).get('/docs-json').expect(200)).body;
  });
  afterAll(() => gateway.close());

  it("passes Redocly's recommended rules with no error and no warning", async () => {
    const problems = await lint(document);
    const listed = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location.map((l) => l.pointer).join(', ')})`);
    expect(listed).toEqual([]);
  });

  it('the lint can fail: a document without summaries or licence is refused', async () => {
    const broken = structuredClone(document);
    delete broken.info.license;
    broken.paths['/v1/events'].get.summary = undefined;
    const problems = await lint(broken);
    expect(problems.map((p) => p.ruleId)).toEqual(expect.arrayContaining(['info-license', 'operation-summary']));
  });
});
