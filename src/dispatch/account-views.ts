import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The /v1/accounts answer, as the OpenAPI document describes it. */

@ApiSchema({ name: 'AccountOverview', description: 'A configured CleverTap account as the whole fleet sees it' })
export class AccountOverviewView {
  @ApiProperty({ type: 'string' }) account_id: string;
  @ApiProperty({ enum: ['closed', 'open', 'half_open', 'paused'], description: 'The circuit breaker; paused when CleverTap rejected the credentials' }) circuit: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'Why the circuit is not closed' }) reason: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) open_until: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Requests to CleverTap in flight now' }) in_flight: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Requests in flight allowed (CleverTap allows 3)' }) limit: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) queue_depth: number;
  @ApiProperty({ type: 'integer', minimum: 0, nullable: true }) oldest_queued_age_seconds: number | null;
}

@ApiSchema({ name: 'AccountList', description: 'Every configured CleverTap account' })
export class AccountListView {
  @ApiProperty({ type: [AccountOverviewView] }) data: AccountOverviewView[];
}

export const ACCOUNT_LIST_EXAMPLE = {
  data: [{ account_id: 'ACCOUNT_ID', circuit: 'closed', reason: null, open_until: null, in_flight: 2, limit: 3, queue_depth: 14, oldest_queued_age_seconds: 3 }],
};
