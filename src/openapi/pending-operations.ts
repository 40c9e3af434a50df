import type { OperationObject } from '@nestjs/swagger';
import { PARTNER_EXAMPLE } from '../access/partner-views.js';
import { HEADERS } from './api-docs.js';
import { PROBLEM_MEDIA_TYPE, problemExample } from './problem.js';

const problem = (description: string, code: Parameters<typeof problemExample>[0], status: number, detail: string, headers: Record<string, unknown> = {}) => ({
  description,
  headers: { 'X-Request-Id': HEADERS.requestId, ...headers },
  content: { [PROBLEM_MEDIA_TYPE]: { schema: { $ref: '#/components/schemas/Problem' }, examples: { [code]: { summary: code, value: problemExample(code, status, detail) } } } },
});

/**
 * Operations the /v1 conventions add (docs/api-conventions.md) whose controller method carries no
 * decorators yet: openapi.ts uses these unless the scanned operation has a summary of its own.
 */
export const PENDING_OPERATIONS: Record<string, Record<string, OperationObject>> = {
  '/v1/partners/{id}': {
    get: {
      operationId: 'getPartner',
      summary: 'One partner',
      description: 'The partner as in the list, without keys.\n\n**Roles:** admin.',
      tags: ['partners'],
      security: [{ bearer: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
      responses: {
        '200': {
          description: 'The partner',
          headers: { 'X-Request-Id': HEADERS.requestId },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Partner' }, examples: { partner: { summary: 'A partner', value: PARTNER_EXAMPLE } } } },
        },
        '401': problem('No valid gateway key in `Authorization: Bearer`', 'unauthenticated', 401, 'Invalid Credentials: send a valid gateway key', {
          'WWW-Authenticate': HEADERS.wwwAuthenticate,
        }),
        '403': problem("The key's role may not do this", 'forbidden', 403, 'This action needs one of the roles: admin'),
        '404': problem('No such partner', 'not_found', 404, 'No such partner'),
        '503': problem('The database does not answer: retry later', 'database_unavailable', 503, 'The gateway cannot reach its database. Retry later.', {
          'Retry-After': HEADERS.retryAfter,
        }),
      },
    },
  },
};
