/** The shapes of the Operations screen's /v1 answers: the backlog, the wait chart and partner settings. */

export const LANES = ['live', 'retry', 'replay'] as const;
export type Lane = (typeof LANES)[number];

/** GET /v1/accounts/backlog: one partner's line in one lane of an account. */
export interface BacklogLine {
  partner_id: string;
  partner_name: string;
  lane: Lane;
  queued: number;
  retrying: number;
  in_flight: number;
  oldest_age_seconds: number;
}

export interface AccountBacklog {
  account_id: string;
  queued: number;
  retrying: number;
  in_flight: number;
  lines: BacklogLine[];
}

export const WAIT_WINDOWS = ['15m', '1h', '6h', '24h'] as const;
export type WaitWindow = (typeof WAIT_WINDOWS)[number];

export interface WaitFigures {
  count: number;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
  /** The bucket had more first attempts than the API reads: the figures are of the earliest. */
  sampled: boolean;
}

export interface WaitBucket extends WaitFigures {
  start: string;
}

/** GET /v1/accounts/wait: acceptance to first attempt over a window, in equal buckets. */
export interface WaitSeries {
  account_id: string | null;
  window: WaitWindow;
  from: string;
  to: string;
  bucket_seconds: number;
  sample_limit: number;
  overall: WaitFigures;
  buckets: WaitBucket[];
}

/** The settings PATCH /v1/partners/{id} takes; null = the gateway's default. */
export interface PartnerSettings {
  weight: number | null;
  rate_limit_per_second: number | null;
  rate_limit_burst: number | null;
  max_backlog: number | null;
}

export const SETTING_FIELDS = ['weight', 'rate_limit_per_second', 'rate_limit_burst', 'max_backlog'] as const;
export type SettingField = (typeof SETTING_FIELDS)[number];

/**
 * One entry of GET /v1/partners as this screen reads it: only fields whose names do not change, and the
 * revocation under either spelling.
 */
export interface PartnerEntry extends PartnerSettings {
  id: string;
  name: string;
  role: string;
  accounts: string[];
  revoked_at?: string | null;
}
