import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Logger } from 'pino';
import { AppModule } from './app.module.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { setupOpenApi } from './openapi/openapi.js';
import { configureHttpPipeline, createHttpAdapter } from './http-pipeline.js';
import { createLogger, PinoNestLogger } from './logging/logger.js';
import { instrumentHttp } from './metrics/http-metrics.js';
import { traceIngestRequests } from './tracing/ingest-tracing.js';

/**
 * Builds the gateway as it runs in production, for main.ts and for the end-to-end tests alike. The
 * schema must already be migrated (see runMigrations).
 */
export async function createGatewayApp(
  config: GatewayConfig,
  databaseUrl: string,
  logger: Logger = createLogger(config.logLevel),
): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule.register(config, databaseUrl), createHttpAdapter(config), {
    // http-pipeline.ts installs the one JSON parser, with the gateway's error shapes.
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  instrumentHttp(app);
  // Before the pipeline's hooks, so a request they refuse is traced too.
  traceIngestRequests(app);
  await configureHttpPipeline(app, config, logger);
  setupOpenApi(app);
  await app.init();
  // Fastify settles its plugins and routes here; tests drive app.getHttpServer() without listen().
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
