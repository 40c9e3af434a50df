import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Environment } from '../../src/config/environment.js';

/**
 * Docker cannot run on the build machines, so the deployment files are checked for what can be checked:
 * the compose services and their wiring, the Dockerfile's shape, and that every variable they, the
 * .env.example and docs/configuration.md name is one the gateway reads (and every one it reads is documented).
 */
const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

/** Every variable the gateway validates at boot: each Environment property carries at least @IsOptional. */
const GATEWAY_VARIABLES = new Set(
  getMetadataStorage()
    .getTargetValidationMetadatas(Environment, Environment.name, true, false)
    .map((metadata) => metadata.propertyName),
);
/** Read by docker-compose.yml itself (interpolation), not by the gateway. */
const COMPOSE_VARIABLES = new Set(['POSTGRES_PASSWORD']);

const compose = parse(read('docker-compose.yml'));
const { postgres, gateway } = compose.services;

describe('docker-compose.yml', () => {
  it('runs a supported Postgres on a named volume, with a pg_isready healthcheck', () => {
    expect(postgres.image).toMatch(/^postgres:1[78](\.\d+)?(-\w+)?$/);
    const [volume] = postgres.volumes[0].split(':');
    expect(Object.keys(compose.volumes)).toContain(volume);
    expect(postgres.healthcheck.test.join(' ')).toMatch(/pg_isready/);
    expect(postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
  });

  it('starts the gateway from the Dockerfile once Postgres is healthy, configured by the env file, on port 3000', () => {
    expect(gateway.build).toBe('.');
    expect(gateway.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect([gateway.env_file].flat()).toContain('.env');
    expect(gateway.ports).toContain('3000:3000');
    expect(gateway.environment.PORT).toBe('3000');
    expect(gateway.healthcheck.test.join(' ')).toMatch(/\/health\/ready/);
  });

  it('points the gateway at the compose Postgres with its user and database', () => {
    const url = new URL(gateway.environment.DATABASE_URL.replace('${POSTGRES_PASSWORD}', 'secret'));
    expect(url.hostname).toBe('postgres');
    expect(url.username).toBe(postgres.environment.POSTGRES_USER);
    expect(url.pathname).toBe(`/${postgres.environment.POSTGRES_DB}`);
  });

  it('runs in production mode, where no CleverTap account without SIMULATOR=1 is a boot error', () => {
    expect(gateway.environment.NODE_ENV).toBe('production');
    expect(gateway.environment).not.toHaveProperty('SIMULATOR');
    expect(read('.env.example')).toMatch(/^# SIMULATOR=$/m);
  });

  it('names only variables the gateway reads', () => {
    const named = Object.keys(gateway.environment);
    expect(named.filter((variable) => !GATEWAY_VARIABLES.has(variable))).toEqual([]);
    const interpolated = [...read('docker-compose.yml').matchAll(/\$\{(\w+)/g)].map(([, variable]) => variable);
    expect(interpolated.filter((variable) => !GATEWAY_VARIABLES.has(variable) && !COMPOSE_VARIABLES.has(variable))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const final = stages.at(-1)!;

  it('builds in one stage and runs production dependencies only, as a non-root user, in another', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(stages[0]).toMatch(/npm run build/);
    expect(final).toMatch(/npm ci --omit=dev/);
    expect(final).toMatch(/COPY --from=\w+ \/app\/dist/);
    expect(final).toMatch(/^USER (?!root\b|0\b)\w+/m);
    expect(final).toMatch(/^EXPOSE 3000$/m);
    expect(final).toMatch(/^HEALTHCHECK .*\n?.*\/health\/ready/m);
    expect(final).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
  });

  it('runs on a current Node.js LTS (22 or 24), slim, in every stage', () => {
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:(22|24)(\.\d+)*-(\w+-)?slim$/m);
    expect(stages.map((stage) => stage.split('\n')[0])).toEqual(stages.map(() => expect.stringMatching(/^\$\{NODE_IMAGE\} AS \w+$/)));
  });

  it('leaves the optional embedded Postgres out of the image and runs in production mode', () => {
    expect(final).toMatch(/npm ci --omit=dev --omit=optional/);
    expect(final).toMatch(/NODE_ENV=production/);
  });
});

describe('.env.example and docs/configuration.md', () => {
  const documented = (text: string, pattern: RegExp) => new Set([...text.matchAll(pattern)].map(([, variable]) => variable));

  it('.env.example documents every variable, and only real ones', () => {
    const inExample = documented(read('.env.example'), /^#?\s?([A-Z][A-Z0-9_]+)=/gm);
    expect([...GATEWAY_VARIABLES].filter((variable) => !inExample.has(variable))).toEqual([]);
    expect([...inExample].filter((variable) => !GATEWAY_VARIABLES.has(variable) && !COMPOSE_VARIABLES.has(variable))).toEqual([]);
  });

  it('the configuration table lists every variable', () => {
    const inTable = documented(read('docs/configuration.md'), /^\| `([A-Z][A-Z0-9_]+)` \|/gm);
    expect([...GATEWAY_VARIABLES].filter((variable) => !inTable.has(variable))).toEqual([]);
    expect([...inTable].filter((variable) => !GATEWAY_VARIABLES.has(variable) && !COMPOSE_VARIABLES.has(variable))).toEqual([]);
  });
});
