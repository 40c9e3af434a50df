import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, Min } from 'class-validator';
import { strictValidation } from '../common/query-validation.pipe.js';
import { ApiAuthGuard, canReadEverything } from '../access/api-auth.guard.js';
import type { AuthenticatedRequest } from '../access/partner-auth.guard.js';
import { RejectionLog } from './rejection-log.js';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ANY_ROLE, ApiJsonResponse, ApiProblems, ApiV1Controller, ApiV1Operation, HEADERS, invalidRequest, PROBLEMS } from '../openapi/api-docs.js';
import { REJECTION_PAGE_EXAMPLE, RejectionPageView } from './rejection-views.js';

class RejectionQuery {
  @ApiPropertyOptional({ type: 'string', format: 'uuid', description: 'Only this partner\'s refused requests' })
  @IsOptional() @IsUUID('all', { message: 'partner must be a partner id (UUID)' })
  partner?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 500, default: 50, description: 'Rejections per page' })
  @IsOptional() @Transform(({ value }) => Number(value)) @IsInt({ message: 'limit must be an integer from 1 to 500' })
  @Min(1, { message: 'limit must be an integer from 1 to 500' }) @Max(500, { message: 'limit must be an integer from 1 to 500' })
  limit?: number;

  @ApiPropertyOptional({ type: 'string', description: 'The `next_cursor` of the previous page' })
  @IsOptional() @IsString()
  cursor?: string;
}

@Controller('v1/rejections')
@UseGuards(ApiAuthGuard)
@ApiV1Controller('audit')
export class RejectionsController {
  constructor(private readonly rejections: RejectionLog) {}

  @Get()
  @ApiV1Operation({ id: 'listRejections', summary: 'List refused requests, newest first', roles: ANY_ROLE, description: 'Authenticated requests that failed validation, kept (and chained) in the log like accepted events.' })
  @ApiJsonResponse(200, RejectionPageView, { description: 'A page of refused requests', example: REJECTION_PAGE_EXAMPLE, headers: { Link: HEADERS.link } })
  @ApiProblems(invalidRequest('limit', 'limit must be an integer from 1 to 500'), PROBLEMS.invalidCursor, PROBLEMS.unauthenticated, PROBLEMS.databaseUnavailable)
  list(@Req() request: AuthenticatedRequest, @Query(strictValidation) query: RejectionQuery) {
    return this.rejections.list(query, canReadEverything(request.principal) ? undefined : request.principal.partnerId);
  }
}
