/** Example bodies for the OpenAPI document; `details` is always `info` and `error` together. */
const result = (status: string, info: Record<string, unknown>, error: Record<string, unknown> = {}) => ({
  status,
  info,
  error,
  details: { ...info, ...error },
});

const dispatcherUp = { status: 'up', owner: 'gateway-1:7:1a2b3c4d' };

export const READY_OK_EXAMPLE = result('ok', {
  database: { status: 'up', responseTime: 2 },
  migrations: { status: 'up', applied: 2 },
  dispatcher: dispatcherUp,
  clevertap_accounts: { status: 'up', accounts: { 'acme-prod': { state: 'ok' } } },
  audit_log: { status: 'up', signer: { state: 'signing' }, projection: { checked_at: '2030-01-01T00:00:00.000Z', mismatches: 0 } },
});

export const READY_DEGRADED_EXAMPLE = result('degraded', {
  database: { status: 'up', responseTime: 2 },
  migrations: { status: 'up', applied: 2 },
  dispatcher: dispatcherUp,
  clevertap_accounts: {
    status: 'degraded',
    accounts: {
      'acme-prod': { state: 'paused', reason: 'CleverTap rejected the credentials', retry_at: '2030-01-01T00:01:00.000Z', consecutive_failures: 0 },
      'acme-staging': { state: 'circuit_open', reason: 'CleverTap failing', retry_at: '2030-01-01T00:00:30.000Z', consecutive_failures: 5 },
    },
  },
  audit_log: {
    status: 'degraded',
    signer: {
      state: 'refusing',
      reason: "the database's tree has 9120 leaves, fewer than the checkpoint of size 9344 this signer signed at 2029-12-31T23:59:58.120Z: the database was rolled back or its newest entries deleted",
      since: '2030-01-01T00:00:01.000Z',
      last_good_checkpoint_size: 9344,
    },
    projection: { checked_at: '2030-01-01T00:00:00.000Z', mismatches: 0 },
  },
});

export const READY_DOWN_EXAMPLE = result(
  'error',
  { dispatcher: dispatcherUp },
  {
    database: { status: 'down', message: 'connect ECONNREFUSED 10.0.0.5:5432', responseTime: 3 },
    migrations: { status: 'down', message: 'connect ECONNREFUSED 10.0.0.5:5432' },
    clevertap_accounts: { status: 'down', message: 'account states unknown: connect ECONNREFUSED 10.0.0.5:5432' },
  },
);
