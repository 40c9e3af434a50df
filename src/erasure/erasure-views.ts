import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The erasure route's answer, as the OpenAPI document describes them. */

@ApiSchema({ name: 'PayloadErasure', description: "The erasure recorded: the event's payload is null from now on; its entries, proofs and receipts stay valid" })
export class PayloadErasureView {
  @ApiProperty({ type: 'string', format: 'uuid' }) event_id: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) erased_at: string;
  @ApiProperty({ type: 'string', description: 'Why, as kept in the log (trimmed)' }) reason: string;
  @ApiProperty({ type: 'string', pattern: '^[0-9a-f]{64}$', description: "The `payload_sha256` of what was erased: the digest the event's record commits to" }) erased_sha256: string;
  @ApiProperty({ type: 'string', format: 'uuid', description: 'The id of the admin who erased it' }) requested_by: string;
}

export const PAYLOAD_ERASURE_EXAMPLE = {
  event_id: '0b8f3c5e-6a1d-4c2e-9f7a-2d4b6e8f0a1c',
  erased_at: '2026-12-09T10:00:00.000Z',
  reason: 'data-subject request DSR-2026-0042',
  erased_sha256: '9f2c4b7e1a3d5f6081b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718',
  requested_by: '5a3e9c1d-2b4f-4e6a-8c0d-1f3b5d7e9a2c',
};
