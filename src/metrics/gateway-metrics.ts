import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { CleverTapClient, type UpstreamResult } from '../dispatch/clevertap-client.js';
import type { AttemptOutcome, EventStatus } from '../event-log/event-status.js';

const PREFIX = 'bulletin_gateway_';
/** CleverTap answers in tens to hundreds of milliseconds; the tail up to UPSTREAM_TIMEOUT_MS matters too. */
const LATENCY_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The gateway's Prometheus metrics, on a registry of its own (several apps can live in one process, as
 * in the tests). Counters move where things happen; gauges that mirror the database are set at scrape
 * time by MetricsCollector. In-flight gauges are per process: sum them across instances.
 */
@Injectable()
export class GatewayMetrics {
  readonly registry = new Registry();

  private readonly httpRequests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by route template and status class',
    labelNames: ['method', 'route', 'status_class'],
    registers: [this.registry],
  });
  private readonly httpDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request, by route template',
    labelNames: ['method', 'route'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly accepted = new Counter({
    name: `${PREFIX}events_accepted_total`,
    help: 'Events appended to the log (idempotent replays are not counted again)',
    labelNames: ['account'],
    registers: [this.registry],
  });
  private readonly rejected = new Counter({
    name: `${PREFIX}events_rejected_total`,
    help: 'Ingest requests refused before anything was logged, by error code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  private readonly upstreamLatency = new Histogram({
    name: `${PREFIX}upstream_request_duration_seconds`,
    help: 'Duration of requests to CleverTap, by account and result (2xx, 4xx, 5xx, timeout, network_error)',
    labelNames: ['account', 'result'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly upstreamInFlight = new Gauge({
    name: `${PREFIX}upstream_in_flight`,
    help: 'Requests to CleverTap in flight from this process',
    labelNames: ['account'],
    registers: [this.registry],
  });
  private readonly upstreamLimit = new Gauge({
    name: `${PREFIX}upstream_in_flight_limit`,
    help: 'Requests allowed in flight per CleverTap account across all gateway processes',
    labelNames: ['account'],
    registers: [this.registry],
  });
  private readonly outcomes = new Counter({
    name: `${PREFIX}attempt_outcomes_total`,
    help: 'Recorded dispatch attempts, by outcome class (sent, failed, transient, uncertain, credentials_rejected)',
    labelNames: ['account', 'outcome'],
    registers: [this.registry],
  });
  private readonly retries = new Counter({
    name: `${PREFIX}retries_scheduled_total`,
    help: 'Transient failures that scheduled another attempt',
    labelNames: ['account'],
    registers: [this.registry],
  });
  private readonly exhausted = new Counter({
    name: `${PREFIX}events_exhausted_total`,
    help: 'Events that failed transiently through the whole retry schedule',
    labelNames: ['account'],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: `${PREFIX}queue_depth`,
    help: 'Events waiting for an attempt (queued or retrying), read from the database at scrape time',
    labelNames: ['account', 'status'],
    registers: [this.registry],
  });
  readonly queueOldestAge = new Gauge({
    name: `${PREFIX}queue_oldest_age_seconds`,
    help: 'Age of the oldest event still waiting for an attempt, since it was received (0 when none)',
    labelNames: ['account'],
    registers: [this.registry],
  });
  readonly laneDepth = new Gauge({
    name: `${PREFIX}lane_queue_depth`,
    help: 'Events waiting for an attempt by account, partner and lane (live, retry, replay), read at scrape time',
    labelNames: ['account', 'partner', 'lane'],
    registers: [this.registry],
  });
  readonly laneOldestAge = new Gauge({
    name: `${PREFIX}lane_oldest_age_seconds`,
    help: 'Age of the oldest waiting event by account, partner and lane, since it was received',
    labelNames: ['account', 'partner', 'lane'],
    registers: [this.registry],
  });
  private readonly firstAttemptWait = new Histogram({
    name: `${PREFIX}first_attempt_wait_seconds`,
    help: 'Time from acceptance to the first attempt (the live lane\'s wait), by account and partner',
    labelNames: ['account', 'partner'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800],
    registers: [this.registry],
  });
  private readonly dispatchPolls = new Counter({
    name: `${PREFIX}dispatch_polls_total`,
    help: 'Looks for due work (every DISPATCH_POLL_MS, and when a replay is queued), by result (ok, failed): a dispatcher that stops counting is stuck',
    labelNames: ['result'],
    registers: [this.registry],
  });
  private readonly partnerRefusals = new Counter({
    name: `${PREFIX}partner_refusals_total`,
    help: 'Ingest requests refused for a partner\'s rate limit or backlog quota',
    labelNames: ['partner', 'reason'],
    registers: [this.registry],
  });
  readonly uncertainEvents = new Gauge({
    name: `${PREFIX}uncertain_events`,
    help: 'Events parked as uncertain, waiting for an operator to resolve them',
    labelNames: ['account'],
    registers: [this.registry],
  });
  readonly circuitState = new Gauge({
    name: `${PREFIX}circuit_state`,
    help: 'Per-account circuit: 1 for the current state (closed, open, half_open, paused), 0 for the others',
    labelNames: ['account', 'state'],
    registers: [this.registry],
  });
  readonly databaseUp = new Gauge({
    name: `${PREFIX}database_up`,
    help: 'Whether the scrape-time database query succeeded (1) or not (0)',
    registers: [this.registry],
  });
  readonly auditTreeSize = new Gauge({
    name: `${PREFIX}audit_tree_size`,
    help: 'Leaves in the audit log\'s Merkle tree, as of this process\'s last sealing',
    registers: [this.registry],
  });
  readonly auditCheckpointSize = new Gauge({
    name: `${PREFIX}audit_checkpoint_size`,
    help: 'Tree size of the last checkpoint this process signed',
    registers: [this.registry],
  });
  readonly auditSignerRefusing = new Gauge({
    name: `${PREFIX}audit_signer_refusing`,
    help: '1 while the checkpoint signer refuses to sign because the database no longer matches its last checkpoint, else 0',
    registers: [this.registry],
  });
  readonly projectionMismatches = new Gauge({
    name: `${PREFIX}audit_projection_mismatches`,
    help: 'Events whose event_status row disagrees with the log (edited or deleted behind the gateway), at the last scheduled check; NaN until it ran',
    registers: [this.registry],
  });
  private logVerifiedAt?: number;

  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
    for (const account of config.accounts) {
      this.upstreamLimit.set({ account: account.id }, config.dispatch.concurrencyPerAccount);
      this.upstreamInFlight.set({ account: account.id }, 0);
    }
    for (const result of ['ok', 'failed']) this.dispatchPolls.inc({ result }, 0);
    this.auditSignerRefusing.set(0);
    this.projectionMismatches.set(Number.NaN);
    const verifiedAt = () => this.logVerifiedAt;
    new Gauge({
      name: `${PREFIX}audit_log_verified_age_seconds`,
      help: 'Seconds since this process last verified the audit log (every record, the tree, the checkpoints) successfully; NaN until it has',
      registers: [this.registry],
      collect() {
        const at = verifiedAt();
        this.set(at === undefined ? Number.NaN : (Date.now() - at) / 1000);
      },
    });
  }

  httpRequestFinished(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status_class: `${Math.floor(status / 100)}xx` });
    this.httpDuration.observe({ method, route }, seconds);
  }

  eventAccepted(accountId: string): void {
    this.accepted.inc({ account: accountId });
  }

  eventRejected(code: string): void {
    this.rejected.inc({ code });
  }

  /** Call when a request to CleverTap starts; call the returned function with its result when it ends. */
  upstreamStarted(accountId: string): (result: UpstreamResult) => void {
    this.upstreamInFlight.inc({ account: accountId });
    return (result) => {
      this.upstreamInFlight.dec({ account: accountId });
      this.upstreamLatency.observe({ account: accountId, result: resultClass(result) }, result.latencyMs / 1000);
    };
  }

  /** An attempt is in the log: count its outcome and what it led to. */
  attemptRecorded(accountId: string, outcome: AttemptOutcome, resultingStatus: EventStatus): void {
    this.outcomes.inc({ account: accountId, outcome });
    if (resultingStatus === 'retrying') this.retries.inc({ account: accountId });
    if (resultingStatus === 'exhausted') this.exhausted.inc({ account: accountId });
  }

  /** Call after a successful verification of the whole audit log. */
  markLogVerified(at: Date = new Date()): void {
    this.logVerifiedAt = at.getTime();
  }

  /** The dispatcher looked for due work and woke the accounts that have some (ok), or could not look (failed). */
  dispatchPolled(ok: boolean): void {
    this.dispatchPolls.inc({ result: ok ? 'ok' : 'failed' });
  }

  partnerRefused(partnerId: string, reason: string): void {
    this.partnerRefusals.inc({ partner: partnerId, reason });
  }

  /** An event's first attempt starts `seconds` after it was accepted. */
  firstAttemptStarted(accountId: string, partnerId: string, seconds: number): void {
    this.firstAttemptWait.observe({ account: accountId, partner: partnerId }, Math.max(0, seconds));
  }

  async scrape(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

function resultClass(result: UpstreamResult): string {
  if (result.kind === 'response') return `${Math.floor(result.httpStatus / 100)}xx`;
  return CleverTapClient.isTimeoutAfterSend(result.code) ? 'timeout' : 'network_error';
}
