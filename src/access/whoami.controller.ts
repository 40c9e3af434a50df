import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { ApiAuthGuard } from './api-auth.guard.js';
import type { AuthenticatedRequest } from './partner-auth.guard.js';
import { ANY_ROLE, ApiJsonResponse, ApiProblems, ApiV1Controller, ApiV1Operation, PROBLEMS } from '../openapi/api-docs.js';
import { WHOAMI_EXAMPLE, WhoAmIView } from './partner-views.js';

/** Lets a client (the console) learn which role its key has, to show only what it may do. */
@Controller('v1/whoami')
@UseGuards(ApiAuthGuard)
@ApiV1Controller('access')
export class WhoAmIController {
  @Get()
  @ApiV1Operation({ id: 'whoAmI', summary: 'Who this key belongs to', roles: ANY_ROLE, description: 'Lets a client (the console) show only what the key may do.' })
  @ApiJsonResponse(200, WhoAmIView, { description: "The key's owner, role and accounts", example: WHOAMI_EXAMPLE })
  @ApiProblems(PROBLEMS.unauthenticated, PROBLEMS.databaseUnavailable)
  whoami(@Req() request: AuthenticatedRequest) {
    const { name, role, accounts } = request.principal;
    return { name, role, accounts };
  }
}
