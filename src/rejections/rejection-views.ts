import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The /v1/rejections answers, as the OpenAPI document describes them. */

@ApiSchema({ name: 'Rejection', description: 'An authenticated request the gateway refused, as kept in the log' })
export class RejectionView {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'Its position in the rejection log' }) position: number;
  @ApiProperty({ type: 'string', format: 'uuid' }) partner_id: string;
  @ApiProperty({ type: 'string' }) partner_name: string;
  @ApiProperty({ type: 'string', nullable: true }) account_id: string | null;
  @ApiProperty({ type: 'string', description: 'The error code it was refused with' }) reason_code: string;
  @ApiProperty({ type: 'string' }) reason: string;
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599 }) http_status: number;
  @ApiProperty({ type: 'string', nullable: true, description: 'At most 2 KiB of the body, keys and passcodes removed' }) payload_excerpt: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The size of the body as received' }) payload_bytes: number;
  @ApiProperty({ type: 'string' }) request_id: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) received_at: string;
}

@ApiSchema({ name: 'RejectionPage', description: 'A page of refused requests, newest first' })
export class RejectionPageView {
  @ApiProperty({ type: [RejectionView] }) data: RejectionView[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' }) next_cursor: string | null;
}

export const REJECTION_PAGE_EXAMPLE = {
  data: [
    {
      position: 17,
      partner_id: '5a3e9c1d-2b4f-4e6a-8c0d-1f3b5d7e9a2c',
      partner_name: 'Acme CMS',
      account_id: 'ACCOUNT_ID',
      reason_code: 'invalid_request',
      reason: '"when" has an incorrect value - null',
      http_status: 400,
      payload_excerpt: '{"business_event":"Program Released","name":"Sa Re Ga Ma episode 12","when":null}',
      payload_bytes: 81,
      request_id: 'req-9b2c',
      received_at: '2026-12-02T03:04:05.678Z',
    },
  ],
  next_cursor: null,
};
