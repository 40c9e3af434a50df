/**
 * The shapes of the gateway's /v1 answers that the console reads: aliases of the types generated from
 * the OpenAPI document (api-types.ts, `npm run openapi:types`), so they cannot drift from the API. Only
 * what is the console's own (its filter form, the role check) is written here.
 */
import type { components } from './api-types';

type Schemas = components['schemas'];

export const STATUSES = ['queued', 'retrying', 'sent', 'failed', 'exhausted', 'uncertain'] as const satisfies readonly Schemas['EventSummary']['status'][];
export type Status = Schemas['EventSummary']['status'];

export type Role = Schemas['WhoAmI']['role'];

export type Identity = Pick<Schemas['WhoAmI'], 'name' | 'role'>;

export const canOperate = (role: Role) => role === 'operator' || role === 'admin';

/** The audit API's filters, as the console's forms hold them (empty string = not set). */
export interface Filters {
  status: '' | Status;
  business_event: string;
  partner: string;
  account: string;
  /** Local date-times from <input type="datetime-local">; sent as RFC 3339 UTC. */
  received_from: string;
  received_to: string;
  q: string;
  error: string;
  error_code: string;
}

export const EMPTY_FILTERS: Filters = {
  status: '',
  business_event: '',
  partner: '',
  account: '',
  received_from: '',
  received_to: '',
  q: '',
  error: '',
  error_code: '',
};

export type EventSummary = Schemas['EventSummary'];
export type EventPage = Schemas['EventPage'];
export type StatusCounts = Schemas['StatusCounts'];
export type ReceivedEntry = Schemas['ReceivedEntry'];
export type AttemptEntry = Schemas['AttemptEntry'];
export type ReplayEntry = Schemas['ReplayRequestedEntry'];
export type ErasureEntry = Schemas['PayloadErasedEntry'];
export type EventDetail = Schemas['EventDetail'];
export type TimelineEntry = EventDetail['timeline'][number];
export type LogProblem = NonNullable<Schemas['VerificationReport']['first_problem']>;

/** A verification just run (GET /v1/audit/verify) or the latest recorded one, which also says who ran it. */
export type Verification = Omit<Schemas['RecordedVerification'], 'verified_by'> & Partial<Pick<Schemas['RecordedVerification'], 'verified_by'>>;

export type AccountOverview = Schemas['AccountOverview'];
export type ReplayPreview = Schemas['ReplayPreview'];
export type ReplayStarted = Schemas['ReplayStarted'];
export type ReplayProgress = Schemas['ReplayProgress'];

/** The body of every /v1 error (RFC 9457). */
export type Problem = Schemas['Problem'];
