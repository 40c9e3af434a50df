import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { startGateway, type GatewayHarness } from '../support/gateway-harness.js';

/**
 * The alert rules and the Grafana dashboard in deploy/ are code: promtool checks and unit-tests the rules
 * (deploy/prometheus/alerts.test.yml), and every metric they query must be one the gateway exports, read
 * from a live gateway's GET /metrics, so a renamed metric cannot leave an alert that never fires.
 */
const root = new URL('../../', import.meta.url).pathname;
const read = (file: string) => readFileSync(`${root}${file}`, 'utf8');

/** Prometheus's own series, not the gateway's: the scrape health of each target. */
const PROMETHEUS_SERIES = new Set(['up']);
/** PromQL words that look like metric names: functions, aggregations, keywords. */
const PROMQL_WORDS = new Set([
  'sum', 'max', 'min', 'avg', 'count', 'by', 'without', 'rate', 'increase', 'irate', 'histogram_quantile',
  'vector', 'or', 'and', 'unless', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'le', 'offset',
]);

/** Every name used as a series in a PromQL expression (label matchers, strings and ranges removed). */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/"(?:[^"\\]|\\.)*"/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/(?<![\w$.:])([a-zA-Z_:][\w:]*)(?![\w:]|\s*\()/g)].map(([, name]) => name);
  return [...new Set(names.filter((name) => !PROMQL_WORDS.has(name) && !/^\d/.test(name)))];
}

function promtool(args: string[]): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT')
    throw new Error('promtool is not on PATH: install it to test the alert rules (Debian/Ubuntu: apt-get install prometheus)');
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const alertRules: { alert: string; expr: string }[] = parse(read('deploy/prometheus/alerts.yml')).groups.flatMap((group: { rules: unknown[] }) => group.rules);
const dashboard = JSON.parse(read('deploy/grafana/bulletin-gateway.json'));
const dashboardQueries: string[] = [
  ...dashboard.panels.flatMap((panel: { targets?: { expr: string }[] }) => (panel.targets ?? []).map((target) => target.expr)),
  ...dashboard.templating.list.map((variable: { definition: string }) => variable.definition.replace(/^label_values\((\w+),.*$/, '$1')),
];

/**
 * The README's `npm test` needs only Node.js: without promtool these two tests are skipped with a warning.
 * CI installs promtool (.ci/run) and sets CI, so there a missing promtool fails instead of passing quietly.
 */
const hasPromtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).error === undefined;
const withPromtool = hasPromtool || process.env.CI ? describe : describe.skip;
if (!hasPromtool && !process.env.CI)
  console.warn('alert rule tests skipped: promtool is not on PATH (Debian/Ubuntu: apt-get install prometheus)');

withPromtool('promtool', () => {
  it('accepts deploy/prometheus/alerts.yml', () => {
    const { status, output } = promtool(['check', 'rules', 'deploy/prometheus/alerts.yml']);
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
    expect(status).toBe(0);
  });

  it('passes the unit tests of deploy/prometheus/alerts.test.yml', () => {
    const { status, output } = promtool(['test', 'rules', 'deploy/prometheus/alerts.test.yml']);
    expect(output).toMatch(/SUCCESS/);
    expect(status).toBe(0);
  });
});

describe('metric names in PromQL', () => {
  it('are told apart from functions, labels and ranges', () => {
    expect(
      metricNamesIn('sum by (account) (rate(a_total{result=~"5xx|timeout"}[5m])) / on(x) max(b_seconds_bucket) > 0.1 or vector(0)'),
    ).toEqual(['a_total', 'b_seconds_bucket']);
  });
});

describe('deploy/ queries only what the gateway exports', () => {
  let gateway: GatewayHarness;
  let exported: Set<string>;

  beforeAll(async () => {
    gateway = await startGateway();
    const { text } = await request(gateway.http).get('/metrics').expect(200);
    // Every family has a TYPE line even before its first sample; histograms add their three series.
    exported = new Set(
      [...text.matchAll(/^# TYPE (\S+) (\w+)$/gm)].flatMap(([, name, type]) =>
        type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
      ),
    );
  });
  afterAll(() => gateway.close());

  const unknown = (exprs: string[]) =>
    [...new Set(exprs.flatMap(metricNamesIn))].filter((name) => !exported.has(name) && !PROMETHEUS_SERIES.has(name));

  it('has alerts for upstream errors, circuits, credentials, queue age, uncertain events and the database', () => {
    expect(alertRules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'BulletinGatewayUpstreamErrors',
        'BulletinGatewayCircuitOpen',
        'BulletinGatewayCredentialsPaused',
        'BulletinGatewayQueueTooOld',
        'BulletinGatewayUncertainEventsParked',
        'BulletinGatewayDatabaseDown',
        'BulletinGatewayAuditSignerRefusing',
        'BulletinGatewayAuditSealingStalled',
        'BulletinGatewayAuditCheckpointsStalled',
      ]),
    );
  });

  it('the alert rules use exported metrics only', () => {
    expect(exported.has('bulletin_gateway_circuit_state')).toBe(true);
    expect(unknown(alertRules.map((rule) => rule.expr))).toEqual([]);
  });

  it('the Grafana dashboard uses exported metrics only', () => {
    expect(dashboardQueries.length).toBeGreaterThan(15);
    expect(unknown(dashboardQueries)).toEqual([]);
  });
});
