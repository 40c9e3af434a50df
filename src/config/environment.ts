import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';
import { CLEVERTAP_REGIONS } from './clevertap-regions.js';

/**
 * An integer variable within bounds. One message for every way it can be wrong, because it is printed
 * as the one line an operator sees.
 */
function IntegerBetween(min: number, max: number, message: string): PropertyDecorator {
  return (target, key) => {
    Type(() => Number)(target, key);
    IsInt({ message })(target, key);
    Min(min, { message })(target, key);
    Max(max, { message })(target, key);
  };
}

const DURATION_LIST = /^\s*\d+(ms|s|m|h|d)\s*(,\s*\d+(ms|s|m|h|d)\s*)*$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const TRACES_EXPORTERS = ['otlp', 'console', 'none'] as const;
const TRACES_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const OTLP_URL = { require_tld: false, protocols: ['http', 'https'], require_protocol: true };

/**
 * The process environment as the gateway reads it. Each rule's message names what is allowed, because
 * it is printed as the one line an operator sees when a value is wrong.
 */
export class Environment {
  @IsOptional() @IntegerBetween(1, 65535, 'must be an integer port (1-65535)')
  PORT = 3000;

  @IsOptional() @IsString()
  HOST = '0.0.0.0';

  @IsOptional() @IntegerBetween(1, 64, 'must be an integer from 1 to 64 (processes serving HTTP; about one per core)')
  GATEWAY_WORKERS = 1;

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @IsOptional() @IsString()
  EMBEDDED_POSTGRES_DIR = './.data/postgres';

  /** Unset: 25432, or the next free port up to 25531, remembered in the data dir (see embedded-postgres.ts). */
  @IsOptional() @IntegerBetween(1, 65535, 'must be an integer port (1-65535)')
  EMBEDDED_POSTGRES_PORT?: number;

  /** `production` (the Docker image sets it): no silent simulator mode. */
  @IsOptional() @IsString()
  NODE_ENV?: string;

  @IsOptional() @IsIn(['0', '1'], { message: 'must be 1 (run the built-in CleverTap simulator) or 0' })
  SIMULATOR?: '0' | '1';

  @IsOptional() @IsString() @MinLength(1, { message: 'must not be empty' })
  CLEVERTAP_ACCOUNT_ID?: string;

  @IsOptional() @IsString() @MinLength(1, { message: 'must not be empty' })
  CLEVERTAP_PASSCODE?: string;

  @IsOptional() @IsIn(Object.keys(CLEVERTAP_REGIONS), { message: `must be one of ${Object.keys(CLEVERTAP_REGIONS).join(', ')}` })
  CLEVERTAP_REGION?: string;

  // No user:password in it: the URL is logged and traced (url.full), and CleverTap takes its passcode in a header.
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true, disallow_auth: true }, { message: 'must be an http(s) URL without user:password' })
  CLEVERTAP_BASE_URL?: string;

  @IsOptional() @IsString()
  CLEVERTAP_ACCOUNTS_FILE?: string;

  @IsOptional() @IsString() @MinLength(24, { message: 'must be at least 24 characters (use a random secret)' })
  GATEWAY_ADMIN_KEY?: string;

  @IsOptional() @IntegerBetween(1, 3, 'must be an integer from 1 to 3 (CleverTap allows 3 in flight per account)')
  DISPATCH_CONCURRENCY_PER_ACCOUNT = 3;

  @IsOptional() @IntegerBetween(0, 3, 'must be an integer from 0 to 3 (slots of an account a replay is owed while live work waits)')
  REPLAY_SLOT_SHARE = 1;

  @IsOptional() @IntegerBetween(0, 3, 'must be an integer from 0 to 3 (slots of an account retries are owed while live work waits)')
  RETRY_SLOT_SHARE = 1;

  @IsOptional() @IntegerBetween(0, 100_000, 'must be an integer from 0 (no limit) to 100000 requests per second')
  PARTNER_RATE_LIMIT_PER_SECOND = 0;

  @IsOptional() @IntegerBetween(0, 1_000_000, 'must be an integer from 0 (the rate, at least 1) to 1000000 requests')
  PARTNER_RATE_LIMIT_BURST = 0;

  @IsOptional() @IntegerBetween(0, 1_000_000_000, 'must be an integer from 0 (no quota) to 1000000000 events')
  PARTNER_MAX_BACKLOG = 0;

  @IsOptional() @Matches(DURATION_LIST, { message: 'must be a comma-separated list of durations such as 5s,30s,2m,1h' })
  RETRY_SCHEDULE = '5s,30s,2m,10m,30m,1h,2h,4h,8h,8h';

  @IsOptional() @IntegerBetween(100, 120_000, 'must be an integer number of milliseconds from 100 to 120000')
  UPSTREAM_TIMEOUT_MS = 10_000;

  @IsOptional() @IntegerBetween(0, 60_000, 'must be an integer number of milliseconds from 0 to 60000')
  SYNC_WAIT_MS = 10_000;

  @IsOptional() @IsIn(['park', 'retry'], { message: 'must be park or retry' })
  UNCERTAIN_POLICY: 'park' | 'retry' = 'park';

  @IsOptional() @IntegerBetween(50, 60_000, 'must be an integer number of milliseconds from 50 to 60000')
  DISPATCH_POLL_MS = 1000;

  @IsOptional() @IntegerBetween(1, 1000, 'must be an integer from 1 to 1000')
  CIRCUIT_FAILURE_THRESHOLD = 5;

  @IsOptional() @IntegerBetween(100, 3_600_000, 'must be an integer number of milliseconds from 100 to 3600000')
  CIRCUIT_COOLDOWN_MS = 30_000;

  @IsOptional() @IntegerBetween(100, 3_600_000, 'must be an integer number of milliseconds from 100 to 3600000')
  CREDENTIALS_RETRY_MS = 60_000;

  @IsOptional() @IntegerBetween(0, 120_000, 'must be an integer number of milliseconds from 0 to 120000')
  SHUTDOWN_GRACE_MS = 10_000;

  @IsOptional() @IntegerBetween(1024, 10_485_760, 'must be an integer number of bytes from 1024 to 10485760')
  MAX_BODY_BYTES = 65_536;

  @IsOptional() @IntegerBetween(2, 64, 'must be an integer from 2 to 64 (nesting levels of a JSON body)')
  MAX_JSON_DEPTH = 8;

  @IsOptional() @IntegerBetween(1000, 600_000, 'must be an integer number of milliseconds from 1000 to 600000')
  HTTP_HEADERS_TIMEOUT_MS = 10_000;

  @IsOptional() @IntegerBetween(1000, 600_000, 'must be an integer number of milliseconds from 1000 to 600000')
  HTTP_REQUEST_TIMEOUT_MS = 30_000;

  @IsOptional() @IntegerBetween(1000, 3_600_000, 'must be an integer number of milliseconds from 1000 to 3600000')
  HTTP_IDLE_TIMEOUT_MS = 75_000;

  @IsOptional() @IntegerBetween(1000, 600_000, 'must be an integer number of milliseconds from 1000 to 600000')
  HTTP_KEEP_ALIVE_TIMEOUT_MS = 72_000;

  @IsOptional() @IntegerBetween(16, 1_000_000, 'must be an integer from 16 to 1000000 (open connections per gateway process)')
  HTTP_MAX_CONNECTIONS = 4096;

  @IsOptional() @IsString()
  AUDIT_SIGNING_KEY?: string;

  @IsOptional() @IntegerBetween(100, 3_600_000, 'must be an integer number of milliseconds from 100 to 3600000')
  AUDIT_SEAL_INTERVAL_MS = 1000;

  @IsOptional() @IntegerBetween(100, 86_400_000, 'must be an integer number of milliseconds from 100 to 86400000')
  AUDIT_CHECKPOINT_INTERVAL_MS = 1000;

  // The transparency log (docs/audit-operations.md); parsed in src/audit-log/audit-log-config.ts.
  @IsOptional() @IsString()
  AUDIT_LOG_ORIGIN?: string;

  @IsOptional() @IsString()
  AUDIT_STATE_DIR?: string;

  @IsOptional() @IsString()
  AUDIT_WITNESSES?: string;

  @IsOptional() @IntegerBetween(0, 100, 'must be an integer from 0 to 100')
  AUDIT_WITNESS_QUORUM = 0;

  @IsOptional() @IntegerBetween(10_000, 86_400_000, 'must be an integer number of milliseconds from 10000 to 86400000')
  AUDIT_PROJECTION_CHECK_INTERVAL_MS = 300_000;

  @IsOptional() @IsIn(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL = 'info';

  // OpenTelemetry tracing (docs/observability.md): the standard variables; the SDK reads them itself,
  // they are declared here so a bad value stops the start with one clear line. See src/tracing/tracing-config.ts.
  @IsOptional() @Matches(/^(true|false)$/i, { message: 'must be true or false' })
  OTEL_SDK_DISABLED?: string;

  @IsOptional() @IsIn(TRACES_EXPORTERS, { message: `must be one of ${TRACES_EXPORTERS.join(', ')}` })
  OTEL_TRACES_EXPORTER?: (typeof TRACES_EXPORTERS)[number];

  @IsOptional() @IsUrl(OTLP_URL, { message: 'must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @IsOptional() @IsUrl(OTLP_URL, { message: 'must be an http(s) URL' })
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;

  @IsOptional() @IsString()
  OTEL_EXPORTER_OTLP_HEADERS?: string;

  @IsOptional() @IsString()
  OTEL_SERVICE_NAME?: string;

  @IsOptional() @IsString()
  OTEL_RESOURCE_ATTRIBUTES?: string;

  @IsOptional() @IsIn(TRACES_SAMPLERS, { message: `must be one of ${TRACES_SAMPLERS.join(', ')}` })
  OTEL_TRACES_SAMPLER?: string;

  @IsOptional() @Matches(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/, { message: 'must be a number from 0 to 1 (the sampled share of traces)' })
  OTEL_TRACES_SAMPLER_ARG?: string;
}
