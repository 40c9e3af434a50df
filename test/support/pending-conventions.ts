import type { Mismatch } from './openapi-contract.js';

/**
 * THE ONE PLACE listing answers that differ from the OpenAPI document only because the /v1 conventions
 * (issue #16 item 2: snake_case, 201/202 with Location, WWW-Authenticate, RFC 9457 `detail`) are not on
 * this branch yet. The document describes the conventions; the response check of every e2e test
 * (test/support/gateway-harness.ts) tolerates exactly these mismatches and fails on any other.
 *
 * EMPTY THIS LIST once the conventions are merged: every entry must then stop matching.
 */
export const PENDING_CONVENTION_MISMATCHES: { why: string; matches: (mismatch: Mismatch) => boolean }[] = [
  {
    why: 'problems carry no `detail` yet (their `title` holds it)',
    matches: (m) => m.kind === 'body' && (m.errors ?? []).length > 0 && m.errors!.every((e) => e.keyword === 'required' && e.params.missingProperty === 'detail' && e.instancePath === ''),
  },
  {
    why: '401 answers carry no WWW-Authenticate yet',
    matches: (m) => m.kind === 'header' && m.status === 401 && m.message.includes('WWW-Authenticate'),
  },
  {
    why: 'POST /v1/partners and POST /v1/partners/{id}/keys answer 201 without Location',
    matches: (m) => m.kind === 'header' && m.status === 201 && m.message.includes('Location') && (m.operation === 'POST /v1/partners' || m.operation === 'POST /v1/partners/{id}/keys'),
  },
  {
    why: 'POST /v1/audit/cosignatures answers 201 (Nest\'s default for a POST), not 200',
    matches: (m) => m.kind === 'status' && m.status === 201 && m.operation === 'POST /v1/audit/cosignatures',
  },
  {
    why: 'POST /v1/replays answers 200, not 202 with Location, when it starts a replay (dry_run false)',
    matches: (m) => m.kind === 'body' && m.status === 200 && m.operation === 'POST /v1/replays' && /dry_run/.test(m.message) && (m.errors ?? []).some((e) => e.instancePath === '/dry_run'),
  },
  {
    why: "a replay preview's sample gives log positions as strings",
    matches: (m) => m.kind === 'body' && m.operation === 'POST /v1/replays' && (m.errors ?? []).length > 0 && m.errors!.every((e) => /^\/sample\/\d+\/position$/.test(e.instancePath) && e.keyword === 'type'),
  },
  {
    why: 'GET /v1/partners lists keyPrefixes, createdAt, revokedAt (camelCase)',
    matches: (m) => m.kind === 'body' && m.operation === 'GET /v1/partners' && camelCaseOnly(m),
  },
  {
    why: 'the verification reports are camelCase (entriesChecked, firstProblem, verifiedAt, ...)',
    matches: (m) => m.kind === 'body' && (m.operation === 'GET /v1/audit/verify' || m.operation === 'GET /v1/audit/verifications/latest') && camelCaseOnly(m),
  },
];

/** Every error is a snake_case field missing, or a camelCase one present. */
function camelCaseOnly(m: Mismatch): boolean {
  return (m.errors ?? []).every(
    (e) =>
      (e.keyword === 'required' && /_/.test(String(e.params.missingProperty))) ||
      (e.keyword === 'additionalProperties' && /[a-z][A-Z]/.test(String(e.params.additionalProperty))),
  );
}
