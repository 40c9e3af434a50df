import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
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
export const RFC3339 = /^(?!0000)\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-](0\d|1[0-3])(:?[0-5]\d)?|[+-]14(:?00)?)?)?$/;
const DateTime = (field: string) => (target: object, key: string) => {
  const message = `${field} must be a date-time such as 2026-11-26T09:00:00Z, with a UTC offset from -14:00 to +14:00`;
  Matches(RFC3339, { message })(target, key);
  IsISO8601({ strict: true }, { message })(target, key);
};

/**
 * The filters shared by the audit list, the export, replays and the console. Every value is checked
 * before it reaches SQL (and then only as a bind parameter), so bad input is a 400, never a 500.
 */
@ApiSchema({ name: 'EventFilter', description: 'The audit filters' })
export class EventFilter {
  @ApiPropertyOptional({ enum: EVENT_STATUSES, description: 'The event\'s current status' })
  @IsOptional() @IsIn(EVENT_STATUSES, { message: `status must be one of ${EVENT_STATUSES.join(', ')}` })
  status?: EventStatus;

  @ApiPropertyOptional({ type: 'string', maxLength: 512, description: 'The business event, exactly', example: 'Program Released' })
  @IsOptional() @IsString() @MaxLength(512) @NoNul('business_event')
  business_event?: string;

  @ApiPropertyOptional({ type: 'string', format: 'uuid', description: 'The partner who sent the events (ignored for a partner\'s own key: it sees only its own)' })
  @IsOptional() @IsUUID('all', { message: 'partner must be a partner id (UUID)' })
  partner?: string;

  @ApiPropertyOptional({ type: 'string', maxLength: 200, description: 'The CleverTap account', example: 'ACCOUNT_ID' })
  @IsOptional() @IsString() @MaxLength(200) @NoNul('account')
  account?: string;

  @ApiPropertyOptional({ type: 'string', pattern: RFC3339.source, description: 'Received at or after this RFC 3339 date-time (UTC offset from -14:00 to +14:00)', example: '2026-11-26T09:00:00Z' })
  @IsOptional() @DateTime('received_from')
  received_from?: string;

  @ApiPropertyOptional({ type: 'string', pattern: RFC3339.source, description: 'Received before this RFC 3339 date-time', example: '2026-11-27T09:00:00Z' })
  @IsOptional() @DateTime('received_to')
  received_to?: string;

  /** Free text over the bulletin's name. */
  @ApiPropertyOptional({ type: 'string', maxLength: 200, description: 'Text in the bulletin\'s name' })
  @IsOptional() @IsString() @MaxLength(200) @NoNul('q')
  q?: string;

  /** Text in the error of the latest attempt (replays after a given failure). */
  @ApiPropertyOptional({ type: 'string', maxLength: 200, description: 'Text in the error of the latest attempt' })
  @IsOptional() @IsString() @MaxLength(200) @NoNul('error')
  error?: string;

  @ApiPropertyOptional({ type: 'string', pattern: '^[\\w.-]{1,32}$', description: 'The error code of the latest attempt: CleverTap\'s HTTP status or a network error', example: 'ECONNREFUSED' })
  @IsOptional() @Matches(/^[\w.-]{1,32}$/, { message: 'error_code must be a short code such as 400 or ECONNREFUSED' })
  error_code?: string;
}

export class EventListQuery extends EventFilter {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'Events per page' })
  @IsOptional() @Transform(({ value }) => Number(value)) @IsInt({ message: 'limit must be an integer from 1 to 500' })
  @Min(1, { message: 'limit must be an integer from 1 to 500' }) @Max(500, { message: 'limit must be an integer from 1 to 500' })
  limit?: number;

  @ApiPropertyOptional({ type: 'string', description: 'The `next_cursor` of the previous page' })
  @IsOptional() @IsString()
  cursor?: string;
}
