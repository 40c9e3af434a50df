import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type Context, context, ROOT_CONTEXT, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { FastifyRequest } from 'fastify';
import { pathOf } from '../common/error-response.js';
import { tracer, tracingOn } from './tracing.js';
import { parseTraceparent } from './traceparent.js';

const INGEST_ROUTE = '/1/targets/trigger.json';

const ingestSpans = new WeakMap<FastifyRequest, Span>();

/**
 * The server span of every ingest request, from its first byte to its answer (refusals included), in
 * the partner's trace when the request carries a valid W3C `traceparent`, else in a new one. Its
 * attributes are the route, the method and the status: no header, query or body. The partner's
 * `tracestate` is neither read nor kept (docs/observability.md says why). Nothing is hooked when
 * tracing is off.
 */
export function traceIngestRequests(app: INestApplication): void {
  if (!tracingOn()) return;
  const fastify = (app as NestFastifyApplication).getHttpAdapter().getInstance();
  fastify.addHook('onRequest', async (request) => {
    if (request.method !== 'POST' || pathOf(request) !== INGEST_ROUTE) return;
    const parent = parseTraceparent(request.headers.traceparent);
    const parentContext = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
    const span = tracer().startSpan(
      `POST ${INGEST_ROUTE}`,
      {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': 'POST', 'http.route': INGEST_ROUTE, 'url.path': INGEST_ROUTE, 'url.scheme': request.protocol },
      },
      parentContext,
    );
    ingestSpans.set(request, span);
  });
  const end = (request: FastifyRequest, statusCode?: number) => {
    const span = ingestSpans.get(request);
    if (!span) return;
    ingestSpans.delete(request);
    if (statusCode === undefined) span.setAttribute('error.type', 'request_aborted');
    else span.setAttribute('http.response.status_code', statusCode);
    if (statusCode === undefined || statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  fastify.addHook('onResponse', async (request, reply) => end(request, reply.statusCode));
  fastify.addHook('onRequestAbort', async (request) => end(request));
}

/** The context an ingest request's work runs in: its server span's, or the active one (tracing off). */
export function ingestContext(request: FastifyRequest): Context {
  const span = ingestSpans.get(request);
  return span ? trace.setSpan(context.active(), span) : context.active();
}
