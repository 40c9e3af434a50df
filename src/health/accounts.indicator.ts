import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { AccountCircuit, type AccountCircuitView } from '../dispatch/account-circuit.js';
import { within } from './within.js';

export type AccountHealth = 'ok' | 'circuit_open' | 'paused';

export interface AccountReport {
  state: AccountHealth;
  reason?: string;
  /** When the gateway tries CleverTap again on its own. */
  retry_at?: string;
  consecutive_failures?: number;
  /** A single request is testing whether CleverTap (or the credentials) work again. */
  probing?: boolean;
}

/**
 * Each configured CleverTap account as the dispatcher sees it. An account that is not ok makes the
 * check `degraded`, which keeps readiness at 200: the gateway still accepts and durably queues that
 * account's events, and taking every instance out of the load balancer would not fix CleverTap or a
 * passcode, only stop every other account too.
 */
@Injectable()
export class AccountsIndicator {
  private readonly accountIds: string[];

  constructor(
    private readonly circuit: AccountCircuit,
    private readonly health: HealthIndicatorService,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.accountIds = config.accounts.map((account) => account.id);
  }

  async states(timeoutMs: number): Promise<HealthIndicatorResult<'clevertap_accounts'>> {
    const check = this.health.check('clevertap_accounts');
    let views: AccountCircuitView[];
    try {
      views = await within(timeoutMs, this.circuit.states());
    } catch (error) {
      return check.down({ message: `account states unknown: ${(error as Error).message}` });
    }
    const byId = new Map(views.map((view) => [view.accountId, view]));
    const accounts = Object.fromEntries(this.accountIds.map((id) => [id, report(byId.get(id))]));
    const troubled = Object.values(accounts).some((account) => account.state !== 'ok');
    return troubled ? check.degraded({ accounts }) : check.up({ accounts });
  }
}

function report(view: AccountCircuitView | undefined): AccountReport {
  if (!view || view.state === 'closed') return { state: 'ok' };
  const details = {
    reason: view.reason ?? undefined,
    retry_at: view.openUntil ? new Date(view.openUntil).toISOString() : undefined,
    consecutive_failures: view.consecutiveFailures,
  };
  if (view.state === 'paused') return { state: 'paused', ...details };
  if (view.state === 'open') return { state: 'circuit_open', ...details };
  // half_open keeps the reason it was opened with: the probe of a paused account is still a pause.
  return { state: /credentials/i.test(view.reason ?? '') ? 'paused' : 'circuit_open', probing: true, ...details };
}
