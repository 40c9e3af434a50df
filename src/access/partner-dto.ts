import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { ROLES, type Role } from './principal.js';

/** The bodies of the partner routes: class-validator checks them and the OpenAPI document describes them. */

@ApiSchema({ name: 'CreatePartner', description: 'A new partner (or auditor, operator, admin) and its first key' })
export class CreatePartnerBody {
  @ApiProperty({ type: 'string', minLength: 1, maxLength: 200, example: 'Acme CMS' })
  @IsString() @IsNotEmpty() @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: ROLES, default: 'partner' })
  @IsOptional() @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({ type: 'array', items: { type: 'string', minLength: 1 }, maxItems: 100, description: 'The CleverTap accounts it may raise bulletins on (at least one for a partner)', example: ['ACCOUNT_ID'] })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @IsNotEmpty({ each: true })
  accounts?: string[];
}

/** Present and null: back to the gateway's default. Absent: unchanged. */
@ApiSchema({ name: 'PartnerSettingsPatch', description: "A partner's dispatch weight and ingress limits: a field absent is unchanged, null returns to the gateway's default" })
export class PartnerSettingsBody {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, nullable: true, description: 'Dispatch weight (fair share between partners)', example: 2 })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsInt() @Min(1) @Max(100)
  weight?: number | null;

  @ApiPropertyOptional({ type: 'number', minimum: 0.01, maximum: 100_000, nullable: true, description: 'Sustained events per second', example: 50 })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsNumber() @Min(0.01) @Max(100_000)
  rate_limit_per_second?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, nullable: true, description: 'Events allowed at once above the rate', example: 100 })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsInt() @Min(1) @Max(1_000_000)
  rate_limit_burst?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000_000, nullable: true, description: 'Events queued or retrying at most', example: 10000 })
  @IsOptional() @ValidateIf((_, value) => value !== null) @IsInt() @Min(0) @Max(1_000_000_000)
  max_backlog?: number | null;
}
