import { validateSync } from 'class-validator';
import { GatewayError } from '../common/gateway.error.js';
import { findUnstorableText } from '../common/untrusted-json.js';
import type { BulletinPayload } from '../event-log/bulletin-payload.js';
import { BULLETIN_FIELDS, BulletinRequestDto } from './bulletin-request.dto.js';

const invalid = (message: string) => new GatewayError('invalid_request', 400, message);

/**
 * Validates a parsed request body against CleverTap's Bulletins contract and returns the payload to
 * record and send. Throws a 400 naming the first offending field.
 */
export function validateBulletin(body: unknown): BulletinPayload {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid(`The request body must be a JSON object (got ${Array.isArray(body) ? 'an array' : typeof body})`);
  // A typo such as `c_by` must not pass silently and send a bulletin without its creator.
  const unknown = Object.keys(body).filter((field) => !BULLETIN_FIELDS.includes(field));
  if (unknown.length > 0)
    throw invalid(`Unknown field "${unknown[0]}": a Bulletins request accepts only ${BULLETIN_FIELDS.join(', ')}`);

  // Copied by hand, not with class-transformer: it drops or trips over keys such as `constructor` or
  // `toString`, which are ordinary property names to CleverTap.
  const dto = Object.assign(new BulletinRequestDto(), pickFields(body as Record<string, unknown>));
  const errors = validateSync(dto, { stopAtFirstError: true, forbidUnknownValues: false });
  if (errors.length > 0) {
    const first = errors.sort((a, b) => BULLETIN_FIELDS.indexOf(a.property) - BULLETIN_FIELDS.indexOf(b.property))[0];
    throw invalid(Object.values(first.constraints ?? {})[0] ?? `${first.property} is invalid`);
  }
  // The JSON parser refuses these already; a body from elsewhere must not reach the group commit with one.
  const unstorable = findUnstorableText(body);
  if (unstorable) throw invalid(unstorable);
  const source = body as BulletinPayload;
  return {
    business_event: source.business_event,
    name: source.name,
    properties: { ...source.properties },
    'c-by': source['c-by'],
    when: source.when,
  };
}

function pickFields(body: Record<string, unknown>): Partial<BulletinRequestDto> {
  return Object.fromEntries(BULLETIN_FIELDS.filter((field) => Object.hasOwn(body, field)).map((field) => [field, body[field]]));
}
