/**
 * The shapes of the Operations screen's /v1 answers (the backlog, the wait chart, partner settings):
 * aliases of the types generated from the OpenAPI document (api-types.ts), so they cannot drift.
 */
import type { components } from './api-types';

type Schemas = components['schemas'];

export const LANES = ['live', 'retry', 'replay'] as const satisfies readonly Schemas['BacklogLine']['lane'][];
export type Lane = (typeof LANES)[number];

/** GET /v1/accounts/backlog: one partner's line in one lane of an account. */
export type BacklogLine = Schemas['BacklogLine'];
export type AccountBacklog = Schemas['AccountBacklog'];

export const WAIT_WINDOWS = ['15m', '1h', '6h', '24h'] as const satisfies readonly Schemas['WaitSeries']['window'][];
export type WaitWindow = (typeof WAIT_WINDOWS)[number];

/** A bucket's figures; `sampled`: the bucket had more first attempts than the API reads. */
export type WaitFigures = Schemas['WaitSummary'];
export type WaitBucket = Schemas['WaitBucket'];
/** GET /v1/accounts/wait: acceptance to first attempt over a window, in equal buckets. */
export type WaitSeries = Schemas['WaitSeries'];

/** The settings PATCH /v1/partners/{id} takes; null = the gateway's default. */
export type PartnerSettings = Omit<Schemas['PartnerSettings'], 'id'>;

export const SETTING_FIELDS = ['weight', 'rate_limit_per_second', 'rate_limit_burst', 'max_backlog'] as const satisfies readonly (keyof PartnerSettings)[];
export type SettingField = (typeof SETTING_FIELDS)[number];

/** One entry of GET /v1/partners. */
export type PartnerEntry = Schemas['Partner'];
