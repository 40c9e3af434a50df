import type { GatewayConfig } from '../config/gateway-config.js';
import { DEFAULT_ACCOUNT_ID } from '../simulator/simulator-config.js';

/** The accounts a gateway with this configuration raises bulletins on: its own, or the simulator's. */
export function configuredAccountIds(config: GatewayConfig): string[] {
  if (config.accounts.length > 0) return config.accounts.map((account) => account.id);
  const simulatorMode = config.simulator || !config.production;
  return simulatorMode ? [DEFAULT_ACCOUNT_ID] : [];
}

/**
 * A partner on an account the gateway does not configure gets a key that works nowhere: the refusal
 * would only show at its first ingest (403 account_not_configured). Said here instead, at creation.
 */
export function unconfiguredAccountsProblem(accountIds: string[], config: GatewayConfig): string | undefined {
  const configured = configuredAccountIds(config);
  const unknown = accountIds.filter((id) => !configured.includes(id));
  if (unknown.length === 0) return undefined;
  const which = unknown.length === 1 ? `account ${unknown[0]} is` : `accounts ${unknown.join(', ')} are`;
  const known = configured.length > 0 ? `configured: ${configured.join(', ')}` : 'no account is configured';
  return (
    `${which} not configured here (${known}), so the partner could not raise bulletins on it. ` +
    'Run the CLI with the gateway\'s configuration (CLEVERTAP_ACCOUNT_ID or CLEVERTAP_ACCOUNTS_FILE), or pass --force to create the partner anyway'
  );
}
