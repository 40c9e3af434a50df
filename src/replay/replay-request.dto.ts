import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EventFilter } from '../event-log/event-filter.dto.js';

/** The audit filters, plus what a replay needs said out loud. */
export class ReplayRequestDto extends EventFilter {
  /** Why: kept in the log with the replay, so it is required and must say something. */
  @IsString({ message: 'reason is required: say why these events are being replayed' })
  @Matches(/\S/, { message: 'reason is required: say why these events are being replayed' })
  @MaxLength(1000)
  reason: string;

  @IsOptional() @IsBoolean({ message: 'dry_run must be true or false' })
  dry_run?: boolean;

  /** CleverTap may already have raised an uncertain event: resending it is an explicit decision. */
  @IsOptional() @IsBoolean({ message: 'include_uncertain must be true or false' })
  include_uncertain?: boolean;

  /** Re-send events that were already sent (admin only). */
  @IsOptional() @IsBoolean({ message: 'force must be true or false' })
  force?: boolean;
}

export const filterOf = (request: ReplayRequestDto): EventFilter => {
  const { reason: _reason, dry_run: _dryRun, include_uncertain: _uncertain, force: _force, ...filter } = request;
  return filter;
};
