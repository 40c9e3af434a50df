import { context } from '@opentelemetry/api';
import { Body, Controller, Headers, HttpCode, Inject, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { GatewayError } from '../common/gateway.error.js';
import { secretScrubber } from '../common/secret-scrubber.js';
import { GATEWAY_CONFIG } from '../config/config.module.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { type AuthenticatedRequest, PartnerAuthGuard } from '../access/partner-auth.guard.js';
import { ingestContext } from '../tracing/ingest-tracing.js';
import { TriggerBulletinCommand } from './trigger-bulletin.command.js';

/** `Idempotency-Key` is a structured-field string: `"abc"`; bare tokens are accepted too. */
export function parseIdempotencyKey(header: string | undefined, scrub: (text: string) => string = (text) => text): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim().replace(/^"(.*)"$/, '$1');
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new GatewayError('invalid_idempotency_key', 400, 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  // It is stored and exported with the event: a key or passcode pasted into it must not be.
  if (/bgk_/i.test(key) || scrub(key) !== key)
    throw new GatewayError('invalid_idempotency_key', 400, 'Idempotency-Key must not contain a gateway key or passcode: use a random id such as a UUID');
  return key;
}

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
