import type { LoggerService } from '@nestjs/common';
import { pino, type Logger } from 'pino';

/** Wherever a secret could sit in a log line: partner keys, CleverTap passcodes, admin keys. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-clevertap-passcode"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'passcode',
  'key',
  '*.passcode',
  '*.key',
];

/**
 * JSON lines to stdout, written asynchronously: a synchronous write per request showed up as the
 * largest single cost of ingest in a CPU profile. Lines written while a write is pending go out
 * together; call `logger.flush()` before exiting.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level, base: { service: 'bulletin-gateway' }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

const NEST_READY = 'Nest application successfully started';

/** Routes NestJS's own logging (module boot, Logger instances) through pino as JSON. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    // Nest says this once its modules are initialised, before the HTTP server has even tried to bind:
    // main.ts logs "listening for HTTP" when the start has succeeded.
    if (message === NEST_READY) return this.logger.debug({ context }, 'modules initialised');
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, String(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, String(message));
  }
}
