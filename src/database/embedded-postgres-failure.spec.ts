import { EmbeddedPostgresError, PostgresLogTail } from './embedded-postgres-failure.js';

const context = { dataDir: '/srv/gw/.data/postgres', port: 25432, portIsExplicit: false };

function failure(lines: string[], cause: unknown = undefined): EmbeddedPostgresError {
  const log = new PostgresLogTail();
  for (const line of lines) log.add(line);
  return new EmbeddedPostgresError(context, log, cause);
}

describe('EmbeddedPostgresError', () => {
  it('names the specific cause rather than the FATAL summary, and what to do', () => {
    const error = failure([
      '2026-12-01 23:45:02.633 UTC [21578] LOG:  starting PostgreSQL 18.4',
      '2026-12-01 23:45:02.634 UTC [21578] LOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
      '2026-12-01 23:45:02.634 UTC [21578] FATAL:  could not create any TCP/IP sockets',
    ]);
    expect(error.summary).toBe(
      'the embedded Postgres (data in /srv/gw/.data/postgres, port 25432) did not start: could not bind IPv4 address "127.0.0.1": ' +
        'Address already in use. Another program holds port 25432: set EMBEDDED_POSTGRES_PORT to a free port below 32768',
    );
    expect(error.message.split('\n').slice(1)).toEqual([
      'Last lines of its log:',
      '  2026-12-01 23:45:02.633 UTC [21578] LOG:  starting PostgreSQL 18.4',
      expect.stringContaining('Address already in use'),
      expect.stringContaining('FATAL:  could not create any TCP/IP sockets'),
    ]);
  });

  it('says when another Postgres runs on the same data folder', () => {
    const error = failure(['[STDERR] FATAL:  lock file "postmaster.pid" already exists', 'HINT:  Is another postmaster (PID 77) running in data directory?']);
    expect(error.summary).toMatch(/did not start: lock file "postmaster\.pid" already exists\. Another Postgres runs on \/srv\/gw\/\.data\/postgres/);
  });

  it("quotes initdb's own error line, without its prefix", () => {
    const error = failure([], new Error('Postgres init script failed (code: 1, signal: null). ERROR OUTPUT: initdb: error: could not access directory "/x": Permission denied'));
    expect(error.summary).toMatch(/did not start: could not access directory "\/x": Permission denied\. The Postgres server user cannot use/);
    const fromLog = failure(['[STDERR] initdb: error: could not access directory "/x": Permission denied']);
    expect(fromLog.summary).toMatch(/did not start: could not access directory "\/x": Permission denied\./);
  });

  it('still says something when Postgres said nothing and the package gave no reason', () => {
    expect(failure([], undefined).message).toBe(
      'the embedded Postgres (data in /srv/gw/.data/postgres, port 25432) did not start: the server exited before it was ready',
    );
  });

  it('keeps only the last lines of a long log', () => {
    const log = new PostgresLogTail(3);
    for (let i = 1; i <= 5; i++) log.add(`line ${i}\n`);
    expect(log.last(10)).toEqual(['line 3', 'line 4', 'line 5']);
  });
});
