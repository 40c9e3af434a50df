import { type SpanContext, TraceFlags } from '@opentelemetry/api';

/**
 * W3C Trace Context `traceparent` (https://www.w3.org/TR/trace-context/#traceparent-header):
 * `version-traceid-parentid-flags` in lowercase hex. Version 00 is exactly this; a later version may
 * append fields after another `-`, which are ignored. Anything else, an all-zero id, version ff or a
 * value longer than MAX_LENGTH is no traceparent at all: the request starts a new trace, as the
 * specification says. Only the parsed ids and flags are ever used, so nothing the partner wrote around
 * them travels further.
 */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-[\x21-\x7e]*)?$/;
const MAX_LENGTH = 256;
const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);

/** The remote span context a `traceparent` header names, or undefined when it is not a valid one. */
export function parseTraceparent(header: string | string[] | undefined): SpanContext | undefined {
  // Two traceparent headers are invalid (Node joins a repeated unknown header, which then fails below).
  if (typeof header !== 'string' || header.length > MAX_LENGTH) return undefined;
  const match = TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  // Of the flags, only "sampled" is defined; the others are not carried on.
  return { traceId, spanId, traceFlags: parseInt(flags, 16) & TraceFlags.SAMPLED, isRemote: true };
}

/** The version-00 `traceparent` of a span context: what the events table keeps. */
export function formatTraceparent(spanContext: SpanContext): string {
  const flags = (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00';
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}
