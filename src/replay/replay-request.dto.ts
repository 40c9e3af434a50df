import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EventFilter } from '../event-log/event-filter.dto.js';

/** The audit filters, plus what a replay needs said out loud. */
@ApiSchema({ name: 'ReplayRequest', description: 'Which events to put back in the queue (the audit filters), and why' })
export class ReplayRequestDto extends EventFilter {
  /** Why: kept in the log with the replay, so it is required and must say something. */
  @ApiProperty({ type: 'string', maxLength: 1000, pattern: '\\S', description: 'Why: kept in the log with the replay', example: 'CleverTap outage of 2 December, 02:10-02:40 UTC' })
  @IsString({ message: 'reason is required: say why these events are being replayed' })
  @Matches(/\S/, { message: 'reason is required: say why these events are being replayed' })
  @MaxLength(1000)
  reason: string;

  @ApiPropertyOptional({ type: 'boolean', default: false, description: 'Only say what would be queued' })
  @IsOptional() @IsBoolean({ message: 'dry_run must be true or false' })
  dry_run?: boolean;

  /** CleverTap may already have raised an uncertain event: resending it is an explicit decision. */
  @ApiPropertyOptional({ type: 'boolean', default: false, description: 'Also resend uncertain events, which CleverTap may already have raised' })
  @IsOptional() @IsBoolean({ message: 'include_uncertain must be true or false' })
  include_uncertain?: boolean;

  /** Re-send events that were already sent (admin only). */
  @ApiPropertyOptional({ type: 'boolean', default: false, description: 'Also resend events already sent (admin only)' })
  @IsOptional() @IsBoolean({ message: 'force must be true or false' })
  force?: boolean;
}

export const filterOf = (request: ReplayRequestDto): EventFilter => {
  const { reason: _reason, dry_run: _dryRun, include_uncertain: _uncertain, force: _force, ...filter } = request;
  return filter;
};
