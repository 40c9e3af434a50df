import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

const LANGUAGES = ['Hindi', 'Tamil', 'Telugu', 'Bengali', 'Marathi'];

let sequence = 0;

/** A number unique within the run, so no two requests (or baseline rows) carry the same properties. */
export function nextSequence(): number {
  return ++sequence;
}

/** The example of the vendor's Bulletins page, with property values that vary with `n`. */
export function vendorExample(n: number) {
  return {
    business_event: 'Program Released',
    name: `Sa Re Ga Ma episode ${n % 500}`,
    properties: { program_id: String(234_567 + n), language: LANGUAGES[n % LANGUAGES.length], prev_program_id: String(234_566 + n) },
    'c-by': 'editor@example.com',
    when: 'now',
  };
}

/** The hash the gateway stores with each event (SHA-256 of the RFC 8785 form). */
export function payloadSha256(payload: unknown): string {
  return createHash('sha256').update(canonicalize(payload)!).digest('hex');
}

export function benchAccountIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `bench-account-${i + 1}`);
}
