import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { ROLES, type Role } from './principal.js';

/** The /v1/partners and /v1/whoami answers, as the OpenAPI document describes them. */

const EXAMPLE_PARTNER_ID = '5a3e9c1d-2b4f-4e6a-8c0d-1f3b5d7e9a2c';
/** Not shaped like a real key (bgk_ and 43 base64url characters), so no secret scanner trips on the document. */
const EXAMPLE_KEY = 'bgk_EXAMPLE.shown.only.once';

@ApiSchema({ name: 'Partner', description: 'A partner (or auditor, operator, admin) as listed: never its keys, only their prefixes' })
export class PartnerView {
  @ApiProperty({ type: 'string', format: 'uuid' }) id: string;
  @ApiProperty({ type: 'string' }) name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: 'array', items: { type: 'string' }, description: 'The CleverTap accounts it may raise bulletins on' }) accounts: string[];
  @ApiProperty({ type: 'array', items: { type: 'string' }, description: 'The first characters of each active key, to tell them apart' }) key_prefixes: string[];
  @ApiProperty({ type: 'string', format: 'date-time' }) created_at: string;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) revoked_at: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "Dispatch weight; null: the gateway's default (1)" }) weight: number | null;
  @ApiProperty({ type: 'number', nullable: true, description: "Events per second it may send; null: the gateway's default" }) rate_limit_per_second: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "Burst of its rate limit; null: the gateway's default" }) rate_limit_burst: number | null;
  @ApiProperty({ type: 'integer', nullable: true, description: "Events it may have queued or retrying; null: the gateway's default" }) max_backlog: number | null;
}

@ApiSchema({ name: 'PartnerList', description: 'Every partner, oldest first' })
export class PartnerListView {
  @ApiProperty({ type: [PartnerView] }) data: PartnerView[];
}

@ApiSchema({ name: 'CreatedPartner', description: 'The partner created, with its key: shown once, stored only as a hash' })
export class CreatedPartnerView {
  @ApiProperty({ type: 'string', format: 'uuid' }) id: string;
  @ApiProperty({ type: 'string', pattern: '^bgk_', required: false, description: 'The gateway key: shown only in this answer. Absent when the answer is replayed for a repeated Idempotency-Key (`Idempotent-Replayed: true`): the gateway never stores a key' }) key?: string;
  @ApiProperty({ type: 'string' }) name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: 'array', items: { type: 'string' } }) accounts: string[];
}

@ApiSchema({ name: 'PartnerKey', description: 'A further key of a partner: shown once, stored only as a hash' })
export class PartnerKeyView {
  @ApiProperty({ type: 'string', format: 'uuid', description: "The partner's id" }) id: string;
  @ApiProperty({ type: 'string', pattern: '^bgk_', required: false, description: 'The new key: shown only in this answer. Absent when the answer is replayed for a repeated Idempotency-Key (`Idempotent-Replayed: true`): the gateway never stores a key' }) key?: string;
}

@ApiSchema({ name: 'PartnerSettings', description: "A partner's dispatch weight and ingress limits; null is the gateway's default" })
export class PartnerSettingsView {
  @ApiProperty({ type: 'string', format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', nullable: true }) weight: number | null;
  @ApiProperty({ type: 'number', nullable: true }) rate_limit_per_second: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) rate_limit_burst: number | null;
  @ApiProperty({ type: 'integer', nullable: true }) max_backlog: number | null;
}

@ApiSchema({ name: 'RevokedPartner', description: 'The partner and all its keys are revoked' })
export class RevokedPartnerView {
  @ApiProperty({ type: 'string', format: 'uuid' }) id: string;
  @ApiProperty({ enum: [true] }) revoked: true;
}

@ApiSchema({ name: 'WhoAmI', description: 'Who the key belongs to' })
export class WhoAmIView {
  @ApiProperty({ type: 'string' }) name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiProperty({ type: 'array', items: { type: 'string' } }) accounts: string[];
}

export const PARTNER_EXAMPLE = {
  id: EXAMPLE_PARTNER_ID,
  name: 'Acme CMS',
  role: 'partner',
  accounts: ['ACCOUNT_ID'],
  key_prefixes: ['bgk_EXAM'],
  created_at: '2026-12-01T09:00:00.000Z',
  revoked_at: null,
  weight: 2,
  rate_limit_per_second: null,
  rate_limit_burst: null,
  max_backlog: null,
};
export const CREATED_PARTNER_EXAMPLE = { id: EXAMPLE_PARTNER_ID, key: EXAMPLE_KEY, name: 'Acme CMS', role: 'partner', accounts: ['ACCOUNT_ID'] };
export const PARTNER_KEY_EXAMPLE = { id: EXAMPLE_PARTNER_ID, key: EXAMPLE_KEY };
export const PARTNER_SETTINGS_EXAMPLE = { id: EXAMPLE_PARTNER_ID, weight: 2, rate_limit_per_second: 50, rate_limit_burst: 100, max_backlog: null };
export const REVOKED_PARTNER_EXAMPLE = { id: EXAMPLE_PARTNER_ID, revoked: true };
export const WHOAMI_EXAMPLE = { name: 'Acme CMS', role: 'partner', accounts: ['ACCOUNT_ID'] };
