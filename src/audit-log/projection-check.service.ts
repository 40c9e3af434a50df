import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { DispatchQueue, type ProjectionDifference } from '../dispatch/dispatch-queue.js';

export interface ProjectionCheckResult {
  checkedAt: string;
  events: number;
  /** Capped at SAMPLE_LIMIT: "at least this many". */
  mismatches: number;
  sample: ProjectionDifference[];
}

const SAMPLE_LIMIT = 100;

/**
 * `event_status` is a projection of the log that lists and exports read; a row edited or deleted behind
 * the gateway's back would change what they show without touching the log. This rebuilds it from the log
 * every AUDIT_PROJECTION_CHECK_INTERVAL_MS (the query `projections:check` runs) and reports differences
 * on /health/ready and in a metric.
 */
@Injectable()
export class ProjectionCheck {
  private readonly logger = new Logger(ProjectionCheck.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private last?: ProjectionCheckResult;

  constructor(
    private readonly queue: DispatchQueue,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Optional() private readonly metrics?: GatewayMetrics,
  ) {}

  get latest(): ProjectionCheckResult | undefined {
    return this.last;
  }

  /** Checks every AUDIT_PROJECTION_CHECK_INTERVAL_MS in the background (the gateway's AuditLogModule starts it). */
  startSchedule(): void {
    this.timer = setInterval(() => void this.checkInBackground(), this.config.auditLog.projectionCheckIntervalMs);
    this.timer.unref();
  }

  async stopSchedule(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async checkInBackground(): Promise<void> {
    if (this.running) return;
    this.running = this.check().catch((error) => this.logger.warn(`projection check failed: ${(error as Error).message}`));
    await this.running;
    this.running = undefined;
  }

  async check(): Promise<ProjectionCheckResult> {
    const { differences, events } = await this.queue.compareWithLog(SAMPLE_LIMIT);
    const result = { checkedAt: new Date().toISOString(), events, mismatches: differences.length, sample: differences };
    if (result.mismatches > 0 && (this.last?.mismatches ?? 0) === 0)
      this.logger.error(`event_status disagrees with the log for ${result.mismatches} events: edited or deleted behind the gateway (run projections:check)`);
    this.last = result;
    this.metrics?.projectionMismatches.set(result.mismatches);
    return result;
  }
}
