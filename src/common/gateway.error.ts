/**
 * The one exception type of the gateway: a stable string code for clients and logs, the HTTP status,
 * and a message safe to show (never a secret). The global filter renders it in CleverTap's shape on
 * the ingest route and as problem+json elsewhere.
 */
export class GatewayError extends Error {
  constructor(
    readonly code: string,
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

export const unauthenticated = () =>
  new GatewayError('unauthenticated', 401, 'Invalid Credentials: send a valid gateway key (X-CleverTap-Passcode or Authorization: Bearer)');
