import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { strictValidation } from '../common/query-validation.pipe.js';
import { ApiAuthGuard, canReadEverything } from '../access/api-auth.guard.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import { RejectionLog } from './rejection-log.js';

class RejectionQuery {
  @IsOptional() @IsUUID('all', { message: 'partner must be a partner id (UUID)' })
  partner?: string;

  @IsOptional() @Transform(({ value }) => Number(value)) @IsInt({ message: 'limit must be an integer from 1 to 500' })
  @Min(1, { message: 'limit must be an integer from 1 to 500' }) @Max(500, { message: 'limit must be an integer from 1 to 500' })
  limit?: number;

  @IsOptional() @IsString()
  cursor?: string;
}

@Controller('v1/rejections')
@UseGuards(ApiAuthGuard)
export class RejectionsController {
  constructor(private readonly rejections: RejectionLog) {}

  @Get()
  list(@Req() request: AuthenticatedRequest, @Query(strictValidation) query: RejectionQuery) {
    return this.rejections.list(query, canReadEverything(request.principal) ? undefined : request.principal.partnerId);
  }
}
