import { Inject, Injectable, Logger } from '@nestjs/common';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { AccountCircuit, type CircuitState } from '../dispatch/account-circuit.js';
import { DispatchQueue, type QueueLine } from '../dispatch/dispatch-queue.js';
import { GatewayMetrics } from './gateway-metrics.js';

const CIRCUIT_STATES: readonly CircuitState[] = ['closed', 'open', 'half_open', 'paused'];

/**
 * Sets the gauges that mirror the database, once per scrape: the queue and the parked events in one
 * query of the dispatch queue (its pending rows are few unless CleverTap is down), and the circuits from
 * their small table. A database that does not answer must not fail the scrape:
 * metrics matter most during an outage.
 */
@Injectable()
export class MetricsCollector {
  private readonly logger = new Logger(MetricsCollector.name);
  private readonly accountIds: string[];

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly queue: DispatchQueue,
    private readonly circuit: AccountCircuit,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.accountIds = config.accounts.map((account) => account.id);
  }

  async collect(): Promise<void> {
    try {
      const [queue, circuits] = await Promise.all([this.queue.lines(), this.circuit.states()]);
      this.setQueueGauges(queue);
      this.setCircuitGauges(new Map(circuits.map((view) => [view.accountId, view.state])));
      this.metrics.databaseUp.set(1);
    } catch (error) {
      this.logger.warn(`metrics: the database did not answer (${(error as Error).message})`);
      // No stale numbers: the series disappear until the database answers again.
      for (const gauge of [this.metrics.queueDepth, this.metrics.queueOldestAge, this.metrics.uncertainEvents, this.metrics.laneDepth, this.metrics.laneOldestAge, this.metrics.circuitState])
        gauge.reset();
      this.metrics.databaseUp.set(0);
    }
  }

  private setQueueGauges(rows: QueueLine[]): void {
    const { queueDepth, queueOldestAge, uncertainEvents, laneDepth, laneOldestAge } = this.metrics;
    for (const gauge of [queueDepth, queueOldestAge, uncertainEvents, laneDepth, laneOldestAge]) gauge.reset();
    // Configured accounts always have their series, so "no rows" reads as 0 rather than as missing data.
    for (const account of this.accountIds) {
      queueDepth.set({ account, status: 'queued' }, 0);
      queueDepth.set({ account, status: 'retrying' }, 0);
      queueOldestAge.set({ account }, 0);
      uncertainEvents.set({ account }, 0);
    }
    // Several rows (partners, lanes, statuses) add up to one account's series.
    const oldestOfAccount = new Map<string, number>();
    const oldestOfLine = new Map<string, { line: { account: string; partner: string; lane: string }; age: number }>();
    for (const row of rows) {
      const account = row.accountId;
      if (row.status === 'uncertain') {
        uncertainEvents.inc({ account }, row.events);
        continue;
      }
      queueDepth.inc({ account, status: row.status }, row.events);
      oldestOfAccount.set(account, Math.max(oldestOfAccount.get(account) ?? 0, row.oldestAgeSeconds));
      const line = { account, partner: row.partnerId, lane: row.lane };
      laneDepth.inc(line, row.events);
      const key = `${account}\u0000${row.partnerId}\u0000${row.lane}`;
      oldestOfLine.set(key, { line, age: Math.max(oldestOfLine.get(key)?.age ?? 0, row.oldestAgeSeconds) });
    }
    for (const [account, age] of oldestOfAccount) queueOldestAge.set({ account }, age);
    for (const { line, age } of oldestOfLine.values()) laneOldestAge.set(line, age);
  }

  private setCircuitGauges(states: Map<string, CircuitState>): void {
    this.metrics.circuitState.reset();
    for (const account of new Set([...this.accountIds, ...states.keys()])) {
      const current = states.get(account) ?? 'closed';
      for (const state of CIRCUIT_STATES) this.metrics.circuitState.set({ account, state }, state === current ? 1 : 0);
    }
  }
}
