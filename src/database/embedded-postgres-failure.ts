/** The last lines Postgres (and initdb) wrote, kept quietly until a failed start needs them. */
export class PostgresLogTail {
  private readonly lines: string[] = [];

  constructor(private readonly keep = 40) {}

  add(message: unknown): void {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split('\n')) {
      const trimmed = line.replace(/^\[STDERR\]\s*/, '').trimEnd();
      if (trimmed === '') continue;
      this.lines.push(trimmed);
      if (this.lines.length > this.keep) this.lines.shift();
    }
  }

  /** The line that says why, as Postgres or initdb worded it. */
  reason(): string | undefined {
    // A FATAL line often only sums up ("could not create any TCP/IP sockets"): the specific cause comes first.
    for (const pattern of [/could not bind|Address already in use|Permission denied/i, /\b(FATAL|PANIC):|initdb: error:/, /\bERROR:|could not/i]) {
      const line = this.lines.find((candidate) => pattern.test(candidate));
      if (line) return line.replace(/^.*?\b(LOG|WARNING|ERROR|FATAL|PANIC):\s*/, '').replace(/^initdb: error:\s*/, '');
    }
    return undefined;
  }

  last(count: number): string[] {
    return this.lines.slice(-count);
  }
}

interface StartContext {
  dataDir: string;
  port: number;
  portIsExplicit: boolean;
}

/**
 * A failed start of the embedded Postgres, said in one line (what Postgres said and what to do), then
 * the last lines of its log. The package itself rejects with nothing (or initdb's whole output).
 */
export class EmbeddedPostgresError extends Error {
  readonly summary: string;
  readonly logLines: string[];

  constructor(context: StartContext, log: PostgresLogTail, cause: unknown) {
    const reason = log.reason() ?? messageOf(cause) ?? 'the server exited before it was ready';
    const hint = hintFor(reason, context);
    const summary = `the embedded Postgres (data in ${context.dataDir}, port ${context.port}) did not start: ${reason}${hint ? `. ${hint}` : ''}`;
    const logLines = log.last(8);
    super(logLines.length > 0 ? `${summary}\nLast lines of its log:\n${logLines.map((line) => `  ${line}`).join('\n')}` : summary, { cause });
    this.summary = summary;
    this.logLines = logLines;
  }
}

function messageOf(cause: unknown): string | undefined {
  if (!(cause instanceof Error) || cause.message === '') return undefined;
  // initdb's wrapper repeats the whole output: its own line is enough.
  return cause.message
    .split('\n')[0]
    .replace(/^Postgres init script failed \(.*?\)\. ERROR OUTPUT:\s*/, '')
    .replace(/^initdb: error:\s*/, '');
}

function hintFor(reason: string, { port, portIsExplicit, dataDir }: StartContext): string | undefined {
  if (/address already in use/i.test(reason))
    return portIsExplicit
      ? `Another program holds port ${port}: set EMBEDDED_POSTGRES_PORT to a free port`
      : `Another program holds port ${port}: set EMBEDDED_POSTGRES_PORT to a free port below 32768`;
  if (/lock file "postmaster\.pid" already exists/i.test(reason))
    return `Another Postgres runs on ${dataDir}: stop it (or the gateway that started it), or set EMBEDDED_POSTGRES_DIR to another folder`;
  if (/permission denied/i.test(reason))
    return `The Postgres server user cannot use ${dataDir}: give it that folder, or set EMBEDDED_POSTGRES_DIR to a folder it can reach`;
  return undefined;
}
