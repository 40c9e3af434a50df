import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';
import { EVENT_STATUSES, type EventStatus } from './event-status.js';

/** Postgres text cannot hold NUL, so a filter carrying one is refused here instead of failing in SQL. */
const NoNul = (field: string) => Matches(/^[^\u0000]*$/, { message: `${field} must not contain NUL characters` });

/**
 * Dates as RFC 3339 (what Postgres reads): ISO 8601's week and ordinal forms are valid ISO but not SQL.
 * IsISO8601 additionally rejects impossible dates such as February 30. Years from 0001 (Postgres has no
 * year 0) and UTC offsets from -14:00 to +14:00, the range real time zones use (Postgres refuses some
 * larger ones with an error instead of an answer).
 */
const RFC3339 = /^(?!0000)\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-](0\d|1[0-3])(:?[0-5]\d)?|[+-]14(:?00)?)?)?$/;
const DateTime = (field: string) => (target: object, key: string) => {
  const message = `${field} must be a date-time such as 2026-11-26T09:00:00Z, with a UTC offset from -14:00 to +14:00`;
  Matches(RFC3339, { message })(target, key);
  IsISO8601({ strict: true }, { message })(target, key);
};

/**
 * The filters shared by the audit list, the export, replays and the console. Every value is checked
 * before it reaches SQL (and then only as a bind parameter), so bad input is a 400, never a 500.
 */
export class EventFilter {
  @IsOptional() @IsIn(EVENT_STATUSES, { message: `status must be one of ${EVENT_STATUSES.join(', ')}` })
  status?: EventStatus;

  @IsOptional() @IsString() @MaxLength(512) @NoNul('business_event')
  business_event?: string;

  @IsOptional() @IsUUID('all', { message: 'partner must be a partner id (UUID)' })
  partner?: string;

  @IsOptional() @IsString() @MaxLength(200) @NoNul('account')
  account?: string;

  @IsOptional() @DateTime('received_from')
  received_from?: string;

  @IsOptional() @DateTime('received_to')
  received_to?: string;

  /** Free text over the bulletin's name. */
  @IsOptional() @IsString() @MaxLength(200) @NoNul('q')
  q?: string;

  /** Text in the error of the latest attempt (replays after a given failure). */
  @IsOptional() @IsString() @MaxLength(200) @NoNul('error')
  error?: string;

  @IsOptional() @Matches(/^[\w.-]{1,32}$/, { message: 'error_code must be a short code such as 400 or ECONNREFUSED' })
  error_code?: string;
}

export class EventListQuery extends EventFilter {
  @IsOptional() @Transform(({ value }) => Number(value)) @IsInt({ message: 'limit must be an integer from 1 to 500' })
  @Min(1, { message: 'limit must be an integer from 1 to 500' }) @Max(500, { message: 'limit must be an integer from 1 to 500' })
  limit?: number;

  @IsOptional() @IsString()
  cursor?: string;
}
