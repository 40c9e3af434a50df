import { randomBytes } from 'node:crypto';
import type { CleverTapAccount } from '../config/gateway-config.js';
import { CleverTapSimulator } from './clevertap-simulator.js';
import { DEFAULT_ACCOUNT_ID } from './simulator-config.js';

/**
 * The upstream of a gateway that has no CleverTap credentials: a simulator on a free local port, with a
 * passcode made up for this run. Nothing real is sent anywhere.
 */
export async function startBuiltInSimulator(): Promise<{ simulator: CleverTapSimulator; account: CleverTapAccount }> {
  const passcode = randomBytes(16).toString('base64url');
  const simulator = new CleverTapSimulator({ accounts: [{ id: DEFAULT_ACCOUNT_ID, passcode }] });
  const baseUrl = await simulator.start(0, '127.0.0.1');
  return { simulator, account: { id: DEFAULT_ACCOUNT_ID, passcode, baseUrl } };
}
