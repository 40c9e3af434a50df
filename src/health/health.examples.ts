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
