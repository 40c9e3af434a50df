import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { AttemptOutcome } from '../event-log/event-status.js';

export type CircuitState = 'closed' | 'open' | 'half_open' | 'paused';

/** Permission to dispatch for an account; `probe` marks the one request that tests a recovery. */
export interface Admission {
  probe: boolean;
}

export interface AccountCircuitView {
  accountId: string;
  state: CircuitState;
  consecutiveFailures: number;
  reason: string | null;
  openUntil: Date | null;
}

/**
 * Closes the circuits of `accounts` (a subquery of account ids) that are not closed already, as a
 * data-modifying CTE's body (RETURNING account_id): the dispatch queue records an answered attempt and
 * closes its account's circuit in one statement.
 */
export function closeCircuitsStatement(accounts: string): string {
  return `UPDATE account_circuits c
            SET state = 'closed', consecutive_failures = 0, reason = NULL, open_until = NULL, probe_expires_at = NULL,
                updated_at = now()
          WHERE c.account_id IN ${accounts}
            AND (c.state <> 'closed' OR c.consecutive_failures <> 0)
         RETURNING c.account_id`;
}

/**
 * The per-account circuit breaker, kept in Postgres so every gateway process sees the same state and
 * only one of them sends the probe. `paused` is the same circuit opened by rejected credentials, with
 * its own (longer) retry interval.
 */
@Injectable()
export class AccountCircuit {
  private readonly logger = new Logger(AccountCircuit.name);
  private readonly settings: GatewayConfig['dispatch'];

  constructor(
    private readonly db: DataSource,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.settings = config.dispatch;
  }

  async admit(accountId: string): Promise<Admission | undefined> {
    const [row] = await this.db.query<{ state: CircuitState; cooled: boolean | null; probe_abandoned: boolean | null }[]>(
      `SELECT state, open_until <= now() AS cooled, probe_expires_at <= now() AS probe_abandoned
         FROM account_circuits WHERE account_id = $1`,
      [accountId],
    );
    if (!row || row.state === 'closed') return { probe: false };
    const probeDue = (row.state === 'open' || row.state === 'paused') && row.cooled;
    if (!probeDue && !(row.state === 'half_open' && row.probe_abandoned)) return undefined;
    // Whoever flips the row first sends the probe; everyone else keeps waiting.
    const taken = await this.db.query<[unknown[], number]>(
      `UPDATE account_circuits
          SET state = 'half_open', probe_expires_at = now() + make_interval(secs => $2 / 1000.0), updated_at = now()
        WHERE account_id = $1 AND state = $3
          AND (state <> 'half_open' OR probe_expires_at <= now())
          AND (state = 'half_open' OR open_until <= now())
        RETURNING 1`,
      [accountId, this.settings.leaseMs, row.state],
    );
    return taken[0].length > 0 ? { probe: true } : undefined;
  }

  /** A probe that found nothing to send hands the next probe to whoever comes first. */
  async releaseProbe(accountId: string): Promise<void> {
    await this.db.query(
      `UPDATE account_circuits SET state = 'open', open_until = now(), probe_expires_at = NULL, updated_at = now()
        WHERE account_id = $1 AND state = 'half_open'`,
      [accountId],
    );
  }

  async record(accountId: string, outcome: AttemptOutcome, probe: boolean): Promise<void> {
    if (outcome === 'credentials_rejected') return this.pause(accountId);
    if (outcome === 'transient' || outcome === 'uncertain') return this.recordFailure(accountId, probe);
    // CleverTap answered (success or a permanent 4xx): it is up and our credentials work.
    return this.close(accountId);
  }

  private async close(accountId: string): Promise<void> {
    const [rows] = await this.db.query<[{ previous: CircuitState | null }[], number]>(
      `UPDATE account_circuits
          SET state = 'closed', consecutive_failures = 0, reason = NULL, open_until = NULL, probe_expires_at = NULL,
              updated_at = now()
        WHERE account_id = $1 AND (state <> 'closed' OR consecutive_failures <> 0)
        RETURNING (SELECT state FROM account_circuits WHERE account_id = $1) AS previous`,
      [accountId],
    );
    if (rows.length > 0 && rows[0].previous !== 'closed') this.logger.log(`account ${accountId}: CleverTap answers again; circuit closed`);
  }

  private async recordFailure(accountId: string, probe: boolean): Promise<void> {
    const [row] = await this.db.query<{ state: CircuitState; consecutive_failures: number }[]>(
      `INSERT INTO account_circuits AS c (account_id, consecutive_failures, state, reason, open_until)
       VALUES ($1, 1,
               CASE WHEN $2 OR 1 >= $3 THEN 'open' ELSE 'closed' END,
               CASE WHEN $2 OR 1 >= $3 THEN 'CleverTap failing' END,
               CASE WHEN $2 OR 1 >= $3 THEN now() + make_interval(secs => $4 / 1000.0) END)
       ON CONFLICT (account_id) DO UPDATE SET
         consecutive_failures = c.consecutive_failures + 1,
         state = CASE WHEN $2 OR c.consecutive_failures + 1 >= $3 THEN 'open' ELSE c.state END,
         reason = CASE WHEN $2 OR c.consecutive_failures + 1 >= $3 THEN 'CleverTap failing' ELSE c.reason END,
         open_until = CASE WHEN $2 OR c.consecutive_failures + 1 >= $3
                           THEN now() + make_interval(secs => $4 / 1000.0) ELSE c.open_until END,
         probe_expires_at = NULL,
         updated_at = now()
       RETURNING state, consecutive_failures`,
      [accountId, probe, this.settings.circuitFailureThreshold, this.settings.circuitCooldownMs],
    );
    const { state, consecutive_failures: failures } = row;
    if (state === 'open' && (probe || failures === this.settings.circuitFailureThreshold))
      this.logger.warn(
        `account ${accountId}: circuit open after ${failures} consecutive failures; probing again in ${this.settings.circuitCooldownMs} ms`,
      );
  }

  private async pause(accountId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO account_circuits AS c (account_id, state, reason, open_until)
       VALUES ($1, 'paused', 'CleverTap rejected the credentials', now() + make_interval(secs => $2 / 1000.0))
       ON CONFLICT (account_id) DO UPDATE SET
         state = 'paused', reason = EXCLUDED.reason, open_until = EXCLUDED.open_until, probe_expires_at = NULL,
         updated_at = now()`,
      [accountId, this.settings.credentialsRetryMs],
    );
    this.logger.error(
      `account ${accountId}: CleverTap rejected the gateway's credentials (401/403); dispatch paused, events stay queued. ` +
        `Fix the passcode; the gateway retries every ${this.settings.credentialsRetryMs} ms.`,
    );
  }

  async states(): Promise<AccountCircuitView[]> {
    const rows: { account_id: string; state: CircuitState; consecutive_failures: number; reason: string | null; open_until: Date | null }[] =
      await this.db.query(`SELECT account_id, state, consecutive_failures, reason, open_until FROM account_circuits ORDER BY account_id`);
    return rows.map((row) => ({
      accountId: row.account_id,
      state: row.state,
      consecutiveFailures: row.consecutive_failures,
      reason: row.reason,
      openUntil: row.open_until,
    }));
  }
}
