import { Body, Controller, Headers, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { FastifyReply } from 'fastify';
import { GatewayError } from '../common/gateway.error.js';
import { type AuthenticatedRequest, PartnerAuthGuard } from '../access/partner-auth.guard.js';
import { TriggerBulletinCommand } from './trigger-bulletin.command.js';

/** `Idempotency-Key` is a structured-field string: `"abc"`; bare tokens are accepted too. */
export function parseIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const key = header.trim().replace(/^"(.*)"$/, '$1');
  if (!/^[\x21-\x7e]{1,255}$/.test(key))
    throw new GatewayError('invalid_idempotency_key', 400, 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  return key;
}

/** CleverTap's own endpoint, so a partner changes only the host and the passcode. */
@Controller()
export class TriggerController {
  constructor(private readonly commandBus: CommandBus) {}

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
    const reply = await this.commandBus.execute(
      new TriggerBulletinCommand(
        request.principal,
        accountId,
        body,
        request.id,
        parseIdempotencyKey(idempotencyKey),
        /\brespond-async\b/i.test(prefer ?? ''),
      ),
    );
    response.code(reply.httpStatus).headers(reply.headers);
    return reply.body;
  }
}
