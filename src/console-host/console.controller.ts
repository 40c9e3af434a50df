import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ApiProblems, notFound } from '../openapi/api-docs.js';
import type { FastifyReply } from 'fastify';
import { createReadStream } from 'node:fs';
import { extname, join } from 'node:path';
import { GatewayError } from '../common/gateway.error.js';
import { ConsoleAssets } from './console-assets.js';

/**
 * The page only talks to this origin's API, never embeds or is embedded, and submits no form natively
 * (the key would otherwise risk landing in a URL).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** Serves the audit console (built by `npm run build` into dist/console) at /console. */
@ApiTags('console')
@Controller('console')
export class ConsoleController {
  constructor(private readonly assets: ConsoleAssets) {}

  @Get()
  @ApiOperation({
    operationId: 'getConsole',
    summary: 'The audit console (web page)',
    description: 'Sign in with an auditor, operator or admin key; the page calls the /v1 API with it in the Authorization header.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The console\'s page', content: { 'text/html': { schema: { type: 'string' } } } })
  @ApiProblems({ status: 404, description: 'The console is not built (npm run build)', examples: { notBuilt: { code: 'console_not_built', detail: 'The audit console is not built: run npm run build' } } })
  index(@Res() reply: FastifyReply): void {
    const file = this.assets.indexFile;
    if (!file) throw new GatewayError('console_not_built', 404, 'The audit console is not built: run npm run build');
    reply.headers({
      'Content-Type': 'text/html; charset=utf-8',
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    });
    void reply.send(createReadStream(file));
  }

  /** Content-hashed names (console/build.mjs), so they can be cached for good. */
  @Get('assets/:name')
  @ApiOperation({ operationId: 'getConsoleAsset', summary: 'A script, stylesheet or source map of the console' })
  @ApiParam({ name: 'name', description: 'a content-hashed file name from the console\'s page', example: 'app-R4FLS7X6.js' })
  @ApiProduces('text/javascript', 'text/css', 'application/json')
  @ApiOkResponse({ description: 'The file, cacheable for a year (its name changes with its content)' })
  @ApiProblems(notFound('No such console asset'))
  asset(@Param('name') name: string, @Res() reply: FastifyReply): void {
    const file = this.assets.asset(name);
    if (!file) throw new GatewayError('not_found', 404, 'No such console asset');
    reply.headers({
      'Content-Type': CONTENT_TYPES[extname(file)],
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
    void reply.send(createReadStream(join(this.assets.assetsDirectory, file)));
  }
}
