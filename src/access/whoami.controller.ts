import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { ApiAuthGuard } from './api-auth.guard.js';
import type { AuthenticatedRequest } from './partner-auth.guard.js';

/** Lets a client (the console) learn which role its key has, to show only what it may do. */
@Controller('v1/whoami')
@UseGuards(ApiAuthGuard)
export class WhoAmIController {
  @Get()
  whoami(@Req() request: AuthenticatedRequest) {
    const { name, role, accounts } = request.principal;
    return { name, role, accounts };
  }
}
