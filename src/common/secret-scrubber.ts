import { GatewayError } from './gateway.error.js';
import type { GatewayConfig } from '../config/gateway-config.js';

/** Gateway keys are recognisable wherever they end up (a wrong header, a query string, a body). */
const GATEWAY_KEY = /bgk_[A-Za-z0-9_-]{8,}/g;
/** Blanks gateway keys only: for text going out where the configured secrets are not at hand. */
export const scrubGatewayKeys = (text: string) => text.replace(GATEWAY_KEY, 'bgk_[redacted]');

/** Shorter secrets would match ordinary text; CleverTap passcodes and admin keys are longer than this. */
const MIN_SECRET_LENGTH = 8;

/**
 * Returns a function that blanks every secret the gateway knows of in a piece of text: any gateway key,
 * the admin key and the CleverTap passcodes. For text that came from a client and is about to be
 * logged or stored, where a partner may have put a key by mistake.
 */
export function secretScrubber(config: Pick<GatewayConfig, 'accounts' | 'adminKey'>): (text: string) => string {
  const secrets = [config.adminKey, ...config.accounts.map((account) => account.passcode)].filter(
    (secret): secret is string => !!secret && secret.length >= MIN_SECRET_LENGTH,
  );
  return (text) => secrets.reduce((scrubbed, secret) => scrubbed.split(secret).join('[redacted]'), scrubGatewayKeys(text));
}

/**
 * Refuses a request whose values would be stored and shown (a partner's name, a replay's reason and
 * filter) when they hold a secret the scrubber knows: a key pasted there would be kept for good.
 */
export function refuseSecrets(value: unknown, scrub: (text: string) => string, what: string): void {
  const text = JSON.stringify(value) ?? '';
  if (scrub(text) !== text)
    throw new GatewayError('secret_in_request', 400, `${what} holds a gateway key or passcode: nothing was stored (rotate that key)`);
}
