// class-transformer's @Type needs the metadata polyfill that the entry points load first.
import 'reflect-metadata';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDuration, parseDurationList } from './durations.js';
import { generateNoteKey } from '../transparency/signed-note.js';
import { ConfigError, type GatewayConfig, gatewayBootProblem, loadConfig } from './gateway-config.js';

const REGIONS = 'in1, sg1, us1, aps3, mec1, eu1';

/** The problems loadConfig reports, or fails the test when it accepts the environment. */
function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  let fileCount = 0;
  function writeTemp(content: string): string {
    const path = join(dir, `file-${++fileCount}`);
    writeFileSync(path, content);
    return path;
  }
  const accountsFile = (entries: unknown) => writeTemp(JSON.stringify(entries));

  describe('with an empty environment', () => {
    let config: GatewayConfig;
    beforeAll(() => {
      config = loadConfig({});
    });

    it('runs in simulator mode: no CleverTap accounts', () => {
      expect(config.accounts).toEqual([]);
    });

    it('listens on port 3000 of every interface', () => {
      expect(config.port).toBe(3000);
      expect(config.host).toBe('0.0.0.0');
    });

    it('uses the embedded Postgres', () => {
      expect(config.databaseUrl).toBeUndefined();
      expect(config.embeddedPostgres).toEqual({ dataDir: './.data/postgres', port: undefined });
    });

    it('may boot in simulator mode, because it is not production', () => {
      expect(config.production).toBe(false);
      expect(gatewayBootProblem(config)).toBeUndefined();
    });

    it('parses the default retry schedule into milliseconds, about a day in total', () => {
      const s = 1000;
      const m = 60 * s;
      const h = 60 * m;
      expect(config.dispatch.retryScheduleMs).toEqual([5 * s, 30 * s, 2 * m, 10 * m, 30 * m, h, 2 * h, 4 * h, 8 * h, 8 * h]);
      const total = config.dispatch.retryScheduleMs.reduce((sum, ms) => sum + ms, 0);
      expect(total).toBeGreaterThan(20 * h);
      expect(total).toBeLessThan(28 * h);
    });

    it('applies the documented dispatch defaults', () => {
      expect(config.dispatch).toMatchObject({
        concurrencyPerAccount: 3,
        upstreamTimeoutMs: 10_000,
        syncWaitMs: 10_000,
        uncertainPolicy: 'park',
        pollIntervalMs: 1000,
        circuitFailureThreshold: 5,
        circuitCooldownMs: 30_000,
        credentialsRetryMs: 60_000,
        shutdownGraceMs: 10_000,
      });
      expect(config.dispatch.leaseMs).toBeGreaterThan(config.dispatch.upstreamTimeoutMs);
    });

    it('leaves the optional secrets unset and logs at info', () => {
      expect(config.adminKey).toBeUndefined();
      expect(config.audit.signingKey).toBeUndefined();
      expect(config.logLevel).toBe('info');
      expect(config.maxBodyBytes).toBe(65_536);
    });
  });

  describe('AUDIT_SIGNING_KEY and the transparency log', () => {
    const stateDir = () => mkdtempSync(join(tmpdir(), 'bg-state-'));

    it('accepts a signed-note key named after the origin, with a state directory', () => {
      const { signingKey, verifierKey } = generateNoteKey('gateway.example/bulletins');
      const config = loadConfig({ AUDIT_SIGNING_KEY: signingKey, AUDIT_STATE_DIR: stateDir() });
      expect(config.auditLog).toMatchObject({ origin: 'gateway.example/bulletins', verifierKey, witnesses: [], witnessQuorum: 0 });
      expect(config.audit.signingKey?.asymmetricKeyType).toBe('ed25519');
    });

    it('defaults the origin to the host name without a key', () => {
      expect(loadConfig({}).auditLog.origin).toMatch(/^\S+\/bulletin-gateway$/);
    });

    it.each([
      ['a PEM key', { AUDIT_SIGNING_KEY: '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIA==\\n-----END PRIVATE KEY-----' }, /^AUDIT_SIGNING_KEY must be a signed-note key PRIVATE\+KEY\+/],
      ['no state directory', { AUDIT_SIGNING_KEY: generateNoteKey('log.example').signingKey }, /^AUDIT_STATE_DIR must be set when AUDIT_SIGNING_KEY is/],
      ['a key named after another origin', { AUDIT_SIGNING_KEY: generateNoteKey('log.example').signingKey, AUDIT_LOG_ORIGIN: 'other.example', AUDIT_STATE_DIR: '/tmp' }, /is named "log.example" but AUDIT_LOG_ORIGIN is "other.example"/],
      ['a broken witness key', { AUDIT_WITNESSES: 'witness+00000000+AAAA' }, /^AUDIT_WITNESSES entry 1 is not a witness verifier key/],
      ['a quorum above the witnesses', { AUDIT_WITNESS_QUORUM: '1' }, /^AUDIT_WITNESS_QUORUM is 1 but AUDIT_WITNESSES lists 0 witnesses/],
    ])('refuses %s with one line, without echoing a key', (_case, env: Record<string, string>, message) => {
      const problems = problemsOf(env);
      expect(problems).toEqual([expect.stringMatching(message)]);
      if (env.AUDIT_SIGNING_KEY) expect(problems[0]).not.toContain(env.AUDIT_SIGNING_KEY);
    });
  });

  it('reads valid values as numbers and lists', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://gw:pw@db:5432/gateway',
      DISPATCH_CONCURRENCY_PER_ACCOUNT: '2',
      RETRY_SCHEDULE: ' 250ms, 1s ,2m,1h,1d',
      UPSTREAM_TIMEOUT_MS: '5000',
      SYNC_WAIT_MS: '0',
      UNCERTAIN_POLICY: 'retry',
      LOG_LEVEL: 'debug',
      GATEWAY_ADMIN_KEY: 'a'.repeat(24),
    });
    expect(config.port).toBe(8080);
    expect(config.databaseUrl).toBe('postgresql://gw:pw@db:5432/gateway');
    expect(config.adminKey).toBe('a'.repeat(24));
    expect(config.logLevel).toBe('debug');
    expect(config.dispatch).toMatchObject({
      concurrencyPerAccount: 2,
      retryScheduleMs: [250, 1000, 120_000, 3_600_000, 86_400_000],
      upstreamTimeoutMs: 5000,
      syncWaitMs: 0,
      uncertainPolicy: 'retry',
    });
  });

  it('treats empty strings as unset', () => {
    const names = [
      'PORT',
      'DATABASE_URL',
      'CLEVERTAP_ACCOUNT_ID',
      'CLEVERTAP_PASSCODE',
      'CLEVERTAP_REGION',
      'CLEVERTAP_BASE_URL',
      'CLEVERTAP_ACCOUNTS_FILE',
      'GATEWAY_ADMIN_KEY',
      'DISPATCH_CONCURRENCY_PER_ACCOUNT',
      'RETRY_SCHEDULE',
      'UPSTREAM_TIMEOUT_MS',
      'SYNC_WAIT_MS',
      'UNCERTAIN_POLICY',
      'AUDIT_SIGNING_KEY',
      'LOG_LEVEL',
    ];
    const config = loadConfig(Object.fromEntries(names.map((name) => [name, ''])));
    expect(config).toEqual(loadConfig({}));
  });

  describe('a bad value', () => {
    it.each([
      ['PORT', 'abc', 'must be an integer port (1-65535)'],
      ['PORT', '0', 'must be an integer port (1-65535)'],
      ['PORT', '65536', 'must be an integer port (1-65535)'],
      ['PORT', '3000.5', 'must be an integer port (1-65535)'],
      ['DATABASE_URL', 'mysql://localhost/gateway', 'must be a postgres:// connection URL'],
      ['EMBEDDED_POSTGRES_PORT', '70000', 'must be an integer port (1-65535)'],
      ['CLEVERTAP_REGION', 'mars1', `must be one of ${REGIONS}`],
      ['CLEVERTAP_BASE_URL', 'not a url', 'must be an http(s) URL'],
      ['CLEVERTAP_BASE_URL', 'ftp://proxy.local', 'must be an http(s) URL'],
      ['CLEVERTAP_BASE_URL', 'https://user:secret@proxy.local', 'must be an http(s) URL without user:password'],
      ['GATEWAY_ADMIN_KEY', 'too-short', 'must be at least 24 characters'],
      ['DISPATCH_CONCURRENCY_PER_ACCOUNT', '4', 'must be an integer from 1 to 3'],
      ['DISPATCH_CONCURRENCY_PER_ACCOUNT', '0', 'must be an integer from 1 to 3'],
      ['RETRY_SCHEDULE', '5 seconds', 'must be a comma-separated list of durations'],
      ['RETRY_SCHEDULE', '5s,,30s', 'must be a comma-separated list of durations'],
      ['UPSTREAM_TIMEOUT_MS', '50', 'must be an integer number of milliseconds from 100 to 120000'],
      ['SYNC_WAIT_MS', '-1', 'must be an integer number of milliseconds from 0 to 60000'],
      ['UNCERTAIN_POLICY', 'resend', 'must be park or retry'],
      ['DISPATCH_POLL_MS', '10', 'must be an integer number of milliseconds from 50 to 60000'],
      ['CIRCUIT_FAILURE_THRESHOLD', '0', 'must be an integer from 1 to 1000'],
      ['CIRCUIT_COOLDOWN_MS', 'soon', 'must be an integer number of milliseconds from 100 to 3600000'],
      ['CREDENTIALS_RETRY_MS', '99', 'must be an integer number of milliseconds from 100 to 3600000'],
      ['SHUTDOWN_GRACE_MS', '120001', 'must be an integer number of milliseconds from 0 to 120000'],
      ['MAX_BODY_BYTES', '1000', 'must be an integer number of bytes from 1024 to 10485760'],
      ['LOG_LEVEL', 'verbose', 'must be one of fatal, error, warn, info, debug, trace, silent'],
    ])('%s=%j is refused with one line saying what is allowed', (name, value, fragment) => {
      const problems = problemsOf({ [name]: value });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${name} `));
      expect(problems[0]).toContain(fragment);
      expect(problems[0]).not.toContain('\n');
    });

    it('is reported together with the other bad values, one line each', () => {
      const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud', UNCERTAIN_POLICY: 'maybe' });
      expect(problems).toHaveLength(3);
      expect(problems.map((line) => line.split(' ')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT', 'UNCERTAIN_POLICY']);
    });
  });

  describe('the default CleverTap account', () => {
    it('needs CLEVERTAP_PASSCODE when CLEVERTAP_ACCOUNT_ID is set', () => {
      expect(problemsOf({ CLEVERTAP_ACCOUNT_ID: 'ACC-1' })).toEqual([
        'CLEVERTAP_PASSCODE must be set when CLEVERTAP_ACCOUNT_ID is set',
      ]);
    });

    it('needs CLEVERTAP_ACCOUNT_ID when CLEVERTAP_PASSCODE is set, without echoing the passcode', () => {
      const problems = problemsOf({ CLEVERTAP_PASSCODE: 'pc-secret-0001' });
      expect(problems).toEqual(['CLEVERTAP_ACCOUNT_ID must be set when CLEVERTAP_PASSCODE is set']);
      expect(problems.join('\n')).not.toContain('pc-secret-0001');
    });

    it('counts an empty CLEVERTAP_ACCOUNT_ID as missing', () => {
      expect(problemsOf({ CLEVERTAP_ACCOUNT_ID: '', CLEVERTAP_PASSCODE: 'pc' })).toEqual([
        'CLEVERTAP_ACCOUNT_ID must be set when CLEVERTAP_PASSCODE is set',
      ]);
    });

    it('defaults to the eu1 host', () => {
      expect(loadConfig({ CLEVERTAP_ACCOUNT_ID: 'ACC-1', CLEVERTAP_PASSCODE: 'pc' }).accounts).toEqual([
        { id: 'ACC-1', passcode: 'pc', baseUrl: 'https://eu1.api.clevertap.com' },
      ]);
    });

    it.each([
      ['in1', 'https://in1.api.clevertap.com'],
      ['sg1', 'https://sg1.api.clevertap.com'],
      ['us1', 'https://us1.api.clevertap.com'],
      ['aps3', 'https://aps3.api.clevertap.com'],
      ['mec1', 'https://mec1.api.clevertap.com'],
      ['eu1', 'https://eu1.api.clevertap.com'],
    ])('CLEVERTAP_REGION=%s picks %s', (region, host) => {
      const [account] = loadConfig({ CLEVERTAP_ACCOUNT_ID: 'ACC-1', CLEVERTAP_PASSCODE: 'pc', CLEVERTAP_REGION: region }).accounts;
      expect(account.baseUrl).toBe(host);
    });

    it('takes CLEVERTAP_BASE_URL over the region, without its trailing slash', () => {
      const [account] = loadConfig({
        CLEVERTAP_ACCOUNT_ID: 'ACC-1',
        CLEVERTAP_PASSCODE: 'pc',
        CLEVERTAP_REGION: 'in1',
        CLEVERTAP_BASE_URL: 'http://localhost:4010/',
      }).accounts;
      expect(account.baseUrl).toBe('http://localhost:4010');
    });
  });

  describe('CLEVERTAP_ACCOUNTS_FILE', () => {
    it('lists accounts whose passcodes come from a variable or a file', () => {
      const passcodeFile = writeTemp('pc-from-file\n');
      const file = accountsFile([
        { id: 'ACC-ENV', region: 'in1', passcodeEnv: 'ACC_ENV_PASSCODE' },
        { id: 'ACC-FILE', baseUrl: 'https://proxy.example.com/clevertap/', passcodeFile },
        { id: 'ACC-DEFAULT', passcodeEnv: 'ACC_DEFAULT_PASSCODE' },
      ]);
      const config = loadConfig({
        CLEVERTAP_ACCOUNTS_FILE: file,
        ACC_ENV_PASSCODE: 'pc-from-env',
        ACC_DEFAULT_PASSCODE: 'pc-default',
      });
      expect(config.accounts).toEqual([
        { id: 'ACC-ENV', passcode: 'pc-from-env', baseUrl: 'https://in1.api.clevertap.com' },
        { id: 'ACC-FILE', passcode: 'pc-from-file', baseUrl: 'https://proxy.example.com/clevertap' },
        { id: 'ACC-DEFAULT', passcode: 'pc-default', baseUrl: 'https://eu1.api.clevertap.com' },
      ]);
    });

    it('adds its accounts to the one from the environment', () => {
      const file = accountsFile([{ id: 'ACC-2', region: 'us1', passcodeEnv: 'ACC2_PASSCODE' }]);
      const config = loadConfig({
        CLEVERTAP_ACCOUNT_ID: 'ACC-1',
        CLEVERTAP_PASSCODE: 'pc-1',
        CLEVERTAP_REGION: 'sg1',
        CLEVERTAP_ACCOUNTS_FILE: file,
        ACC2_PASSCODE: 'pc-2',
      });
      expect(config.accounts).toEqual([
        { id: 'ACC-1', passcode: 'pc-1', baseUrl: 'https://sg1.api.clevertap.com' },
        { id: 'ACC-2', passcode: 'pc-2', baseUrl: 'https://us1.api.clevertap.com' },
      ]);
    });

    it('is refused when the file does not exist', () => {
      const problems = problemsOf({ CLEVERTAP_ACCOUNTS_FILE: join(dir, 'missing.json') });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^CLEVERTAP_ACCOUNTS_FILE must name a readable JSON file/);
    });

    it('is refused when the file is not JSON', () => {
      const problems = problemsOf({ CLEVERTAP_ACCOUNTS_FILE: writeTemp('[{ id: ACC-1 ') });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^CLEVERTAP_ACCOUNTS_FILE must name a readable JSON file/);
    });

    it('is refused when the file does not hold an array', () => {
      expect(problemsOf({ CLEVERTAP_ACCOUNTS_FILE: accountsFile({ id: 'ACC-1' }) })).toEqual([
        'CLEVERTAP_ACCOUNTS_FILE must hold a JSON array of accounts',
      ]);
    });

    it.each([
      ['an entry without id', { passcodeEnv: 'PC' }, 'CLEVERTAP_ACCOUNTS_FILE entry 0 must have a non-empty "id"'],
      ['an entry with an empty id', { id: '', passcodeEnv: 'PC' }, 'CLEVERTAP_ACCOUNTS_FILE entry 0 must have a non-empty "id"'],
      ['a bad region', { id: 'A', region: 'mars1', passcodeEnv: 'PC' }, `CLEVERTAP_ACCOUNTS_FILE entry 0 "region" must be one of ${REGIONS}`],
      ['a bad baseUrl', { id: 'A', baseUrl: 'proxy.local', passcodeEnv: 'PC' }, 'CLEVERTAP_ACCOUNTS_FILE entry 0 "baseUrl" must be an http(s) URL without user:password'],
      ['a baseUrl with a password', { id: 'A', baseUrl: 'https://u:pw@proxy.local/x', passcodeEnv: 'PC' }, 'CLEVERTAP_ACCOUNTS_FILE entry 0 "baseUrl" must be an http(s) URL without user:password'],
      [
        'a passcode in clear',
        { id: 'A', passcode: 'pc-in-clear-0001' },
        'CLEVERTAP_ACCOUNTS_FILE entry 0 must not hold a passcode: use "passcodeEnv" or "passcodeFile"',
      ],
      [
        'a passcodeEnv naming an unset variable',
        { id: 'A', passcodeEnv: 'NOT_SET_ANYWHERE' },
        'CLEVERTAP_ACCOUNTS_FILE entry 0 needs "passcodeEnv" (a set environment variable) or "passcodeFile" (a readable file)',
      ],
      [
        'a passcodeFile that does not exist',
        { id: 'A', passcodeFile: '/nonexistent/passcode' },
        'CLEVERTAP_ACCOUNTS_FILE entry 0 needs "passcodeEnv" (a set environment variable) or "passcodeFile" (a readable file)',
      ],
      [
        'no passcode source at all',
        { id: 'A', region: 'in1' },
        'CLEVERTAP_ACCOUNTS_FILE entry 0 needs "passcodeEnv" (a set environment variable) or "passcodeFile" (a readable file)',
      ],
    ])('refuses %s with one line naming the entry', (_case, entry, expected) => {
      expect(problemsOf({ CLEVERTAP_ACCOUNTS_FILE: accountsFile([entry]), PC: 'pc' })).toEqual([expected]);
    });

    it('counts an empty passcodeEnv variable as unset', () => {
      const file = accountsFile([{ id: 'A', passcodeEnv: 'EMPTY_PC' }]);
      expect(problemsOf({ CLEVERTAP_ACCOUNTS_FILE: file, EMPTY_PC: '' })).toHaveLength(1);
    });

    it('names the index of the bad entry and reports each bad entry', () => {
      const file = accountsFile([{ id: 'A', passcodeEnv: 'PC' }, { region: 'in1' }, { id: 'C', region: 'xx' }]);
      expect(problemsOf({ CLEVERTAP_ACCOUNTS_FILE: file, PC: 'pc' })).toEqual([
        'CLEVERTAP_ACCOUNTS_FILE entry 1 must have a non-empty "id"',
        `CLEVERTAP_ACCOUNTS_FILE entry 2 "region" must be one of ${REGIONS}`,
      ]);
    });

    it('refuses an account listed twice in the file', () => {
      const file = accountsFile([
        { id: 'ACC-1', passcodeEnv: 'PC' },
        { id: 'ACC-1', region: 'in1', passcodeEnv: 'PC' },
      ]);
      expect(problemsOf({ CLEVERTAP_ACCOUNTS_FILE: file, PC: 'pc' })).toEqual([
        'CLEVERTAP_ACCOUNTS_FILE lists account ACC-1 more than once',
      ]);
    });

    it('refuses an account of the file that is also the environment account', () => {
      const file = accountsFile([{ id: 'ACC-1', passcodeEnv: 'PC' }]);
      const problems = problemsOf({ CLEVERTAP_ACCOUNT_ID: 'ACC-1', CLEVERTAP_PASSCODE: 'pc-1', CLEVERTAP_ACCOUNTS_FILE: file, PC: 'pc' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain('ACC-1');
    });
  });

  describe('secrets', () => {
    const PASSCODE = 'pc-very-secret-4242';

    it.each<[string, () => NodeJS.ProcessEnv]>([
      ['the environment passcode without an account id', () => ({ CLEVERTAP_PASSCODE: PASSCODE })],
      [
        'the environment passcode next to a bad region',
        () => ({ CLEVERTAP_ACCOUNT_ID: 'A', CLEVERTAP_PASSCODE: PASSCODE, CLEVERTAP_REGION: 'mars1' }),
      ],
      ['a passcode in clear in the accounts file', () => ({ CLEVERTAP_ACCOUNTS_FILE: accountsFile([{ id: 'A', passcode: PASSCODE }]) })],
      [
        'a passcodeEnv entry with a bad baseUrl',
        () => ({ CLEVERTAP_ACCOUNTS_FILE: accountsFile([{ id: 'A', baseUrl: 'x', passcodeEnv: 'PC' }]), PC: PASSCODE }),
      ],
      [
        'a duplicate account',
        () => ({
          CLEVERTAP_ACCOUNT_ID: 'A',
          CLEVERTAP_PASSCODE: PASSCODE,
          CLEVERTAP_ACCOUNTS_FILE: accountsFile([{ id: 'A', passcodeEnv: 'PC' }]),
          PC: PASSCODE,
        }),
      ],
    ])('no problem echoes the passcode: %s', (_case, env) => {
      const problems = problemsOf(env());
      expect(problems.join('\n')).not.toContain(PASSCODE);
    });

    it('does not quote any part of an accounts file that is not valid JSON, which may hold a passcode in clear', () => {
      const problems = problemsOf({ CLEVERTAP_ACCOUNTS_FILE: writeTemp(`[{"id":"A","passcode":"${PASSCODE}"},]`) });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^CLEVERTAP_ACCOUNTS_FILE must name a readable JSON file/);
      expect(problems[0]).not.toContain(PASSCODE.slice(-4));
    });

    it('does not echo a GATEWAY_ADMIN_KEY that is too short', () => {
      const problems = problemsOf({ GATEWAY_ADMIN_KEY: 'admin-secret-17' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).not.toContain('admin-secret-17');
    });

    it('does not echo the password of a bad DATABASE_URL', () => {
      const problems = problemsOf({ DATABASE_URL: 'mysql://gw:db-secret-99@db/gateway' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).not.toContain('db-secret-99');
    });
  });
});

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1d', 86_400_000],
    ['0s', 0],
    [' 30s ', 30_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 's', '5 s', '1.5s', '-5s', '5sec', '5S', '2w', '5s5'])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});

describe('parseDurationList', () => {
  it('reads a comma-separated schedule, allowing spaces around items', () => {
    expect(parseDurationList('5s, 30s ,2m,1h')).toEqual([5000, 30_000, 120_000, 3_600_000]);
  });

  it('reads a single item', () => {
    expect(parseDurationList('10m')).toEqual([600_000]);
  });

  it.each(['', '5s,', ',5s', '5s,,30s', '5s,later', '5s;30s'])('refuses %j', (text) => {
    expect(parseDurationList(text)).toBeUndefined();
  });
});

// Boots the built entry point, as an operator would, to see what a bad value looks like on a terminal.
describe('simulator mode in production', () => {
  const credentials = { CLEVERTAP_ACCOUNT_ID: 'ACC-1', CLEVERTAP_PASSCODE: 'real-passcode' };

  it('refuses to boot with no CleverTap account unless SIMULATOR=1 says so', () => {
    const problem = gatewayBootProblem(loadConfig({ NODE_ENV: 'production' }));
    expect(problem).toMatch(/^no CleverTap account is configured and NODE_ENV=production: set CLEVERTAP_ACCOUNT_ID .* or set SIMULATOR=1/);
    expect(gatewayBootProblem(loadConfig({ NODE_ENV: 'production', SIMULATOR: '' }))).toBe(problem);
  });

  it('boots with SIMULATOR=1, or with an account', () => {
    expect(gatewayBootProblem(loadConfig({ NODE_ENV: 'production', SIMULATOR: '1' }))).toBeUndefined();
    expect(gatewayBootProblem(loadConfig({ NODE_ENV: 'production', ...credentials }))).toBeUndefined();
  });

  it('refuses SIMULATOR=1 beside a configured account, and any value but 0 or 1', () => {
    expect(() => loadConfig({ SIMULATOR: '1', ...credentials })).toThrow(/SIMULATOR=1 runs the built-in CleverTap simulator, but a CleverTap account is configured too/);
    expect(() => loadConfig({ SIMULATOR: 'yes' })).toThrow(/SIMULATOR must be 1 \(run the built-in CleverTap simulator\) or 0/);
  });
});

describe('the built entry point with a bad value', () => {
  const root = process.cwd();
  const entry = join(root, 'dist/src/main.js');
  let result: ReturnType<typeof spawnSync>;

  beforeAll(() => {
    try {
      execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
        cwd: root,
        timeout: 120_000,
        stdio: 'pipe',
      });
    } catch (error) {
      // Type errors elsewhere in a tree being edited still emit JavaScript; only a missing entry point is fatal.
      if (!existsSync(entry)) throw error;
    }
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: 'abc', DATABASE_URL: '' };
    result = spawnSync(process.execPath, [entry], { cwd: root, env, encoding: 'utf8', timeout: 30_000 });
  }, 180_000);

  it('exits with code 1', () => {
    expect(result.status).toBe(1);
  });

  it('prints exactly one line naming the variable, and no stack trace', () => {
    const lines = String(result.stderr).trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^Invalid configuration: PORT must be an integer port \(1-65535\)/)]);
    expect(String(result.stderr)).not.toMatch(/\n\s+at /);
  });
});
