import { GatewayError } from './gateway.error.js';

/**
 * The rule for client header values the gateway copies into logs, the database, responses and exports
 * (X-Request-Id, X-CleverTap-Account-Id): short, of a safe alphabet and not key-like, so that a key
 * pasted into the wrong header never travels further than the request itself.
 */

/** Letters, digits and `. : -` (no `_`, which every gateway key has after its `bgk` prefix). */
const SAFE_TOKEN = /^[A-Za-z0-9.:-]{1,64}$/;
/**
 * A run of letters and digits this long looks like a random secret (a gateway key's base64url body, a
 * hex or base64 admin key); UUIDs (runs of 12) and W3C trace ids (32 hex digits) stay below it.
 */
const RANDOM_LOOKING_RUN = /[A-Za-z0-9]{33,}/;

/**
 * True when `value` may be copied out of the request: see the rule above. `scrub` is the gateway's
 * secret scrubber; a value it would change holds a secret it knows (the admin key, a passcode).
 */
export function isSafeHeaderToken(value: string | undefined, scrub: (text: string) => string): value is string {
  return (
    value !== undefined &&
    SAFE_TOKEN.test(value) &&
    !/bgk/i.test(value) &&
    !RANDOM_LOOKING_RUN.test(value) &&
    scrub(value) === value
  );
}

/**
 * `Idempotency-Key` (ingest and every POST under /v1) is a structured-field string: `"abc"`; bare tokens
 * are accepted too. It is stored (with the event, or in the /v1 idempotency cache): a key or passcode
 * pasted into it is refused.
 */
export function parseIdempotencyKey(header: string | undefined, scrub: (text: string) => string = (text) => text): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim().replace(/^"(.*)"$/, '$1');
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new GatewayError('invalid_idempotency_key', 400, 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  if (/bgk_/i.test(key) || scrub(key) !== key)
    throw new GatewayError('invalid_idempotency_key', 400, 'Idempotency-Key must not contain a gateway key or passcode: use a random id such as a UUID');
  return key;
}
