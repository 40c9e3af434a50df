import { context } from '@opentelemetry/api';
import { Body, Controller, Headers, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { secretScrubber } from '../common/secret-scrubber.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { type AuthenticatedRequest, PartnerAuthGuard } from '../access/partner-auth.guard.js';
import { ingestContext } from '../tracing/ingest-tracing.js';
import { parseIdempotencyKey } from '../common/header-tokens.js';
import { TriggerBulletinCommand } from './trigger-bulletin.command.js';

/** CleverTap's own endpoint, so a partner changes only the host and the passcode. */
@Controller()
export class TriggerController {
  private readonly scrub: (text: string) => string;

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
  ) {
    this.scrub = secretScrubber(config);
  }

  @Post('1/targets/trigger.json')
  @HttpCode(200)
  @UseGuards(PartnerAuthGuard)
  async trigger(
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: FastifyReply,
    @Body() body: unknown,
    @Headers('x-clevertap-account-id') accountId: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('prefer') prefer: string | undefined,
  ): Promise<Record<string, unknown>> {
    const command = new TriggerBulletinCommand(
      request.principal,
      accountId,
      body,
      request.id,
      parseIdempotencyKey(idempotencyKey, this.scrub),
      /\brespond-async\b/i.test(prefer ?? ''),
    );
    // The command runs in the request's server span (when traced), so what it does is the span's children.
    const reply = await context.with(ingestContext(request), () => this.commandBus.execute(command));
    response.code(reply.httpStatus).headers(reply.headers);
    return reply.body;
  }
}
