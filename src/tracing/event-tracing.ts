import { type Attributes, context, isSpanContextValid, type Link, ROOT_CONTEXT, type SpanContext, SpanKind, trace } from '@opentelemetry/api';
import { formatTraceparent } from './traceparent.js';
import { failed, linkTo, tracer, tracingOn } from './tracing.js';

/**
 * The spans of an event's life that are not HTTP: its append to the log, the shared statement that
 * writes it, and each dispatch attempt. Attribute values are ids, names, numbers and outcomes the
 * gateway has already checked; never a key, a passcode, a payload or a header.
 */

/**
 * Names the accepted event's partner, account and business event on the ingest span and returns that
 * span's `traceparent`, which is stored with the event so that its dispatch, however late, links back.
 * Undefined when tracing is off or the request is not traced.
 */
export function ingestTraceparent(event: { partnerId: string; accountId: string; businessEvent: string }): string | undefined {
  if (!tracingOn()) return undefined;
  const span = trace.getActiveSpan();
  if (!span || !isSpanContextValid(span.spanContext())) return undefined;
  span.setAttributes({ 'bulletin.partner_id': event.partnerId, 'bulletin.account_id': event.accountId, 'bulletin.business_event': event.businessEvent });
  return formatTraceparent(span.spanContext());
}

/**
 * One request's append: its wait for the group commit and the commit itself. `work` gets the span's
 * context, which the shared statement's span links to (or is the child of, for the batch's first).
 */
export async function tracedAppend<T>(eventId: string, work: (spanContext: SpanContext | undefined) => Promise<T>): Promise<T> {
  if (!tracingOn()) return work(undefined);
  trace.getActiveSpan()?.setAttribute('bulletin.event_id', eventId);
  return tracer().startActiveSpan('event-log append', { attributes: { 'bulletin.event_id': eventId } }, async (span) => {
    try {
      return await work(span.spanContext());
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The statement (and implicit commit) that writes a group of events: a child of the first request's
 * append span, linked to the others', so each request's trace reaches it.
 */
export async function tracedInsert<T>(appends: (SpanContext | undefined)[], work: () => Promise<T>): Promise<T> {
  if (!tracingOn()) return work();
  const [first, ...others] = appends;
  const parent = first ? trace.setSpanContext(ROOT_CONTEXT, first) : ROOT_CONTEXT;
  const links: Link[] = others.flatMap((spanContext) => (spanContext ? [{ context: spanContext }] : []));
  const span = tracer().startSpan(
    'INSERT bulletin_events',
    {
      kind: SpanKind.CLIENT,
      links,
      attributes: {
        'db.system.name': 'postgresql',
        'db.operation.name': 'INSERT',
        'db.collection.name': 'bulletin_events',
        'db.operation.batch.size': appends.length,
      },
    },
    parent,
  );
  try {
    return await work();
  } catch (error) {
    failed(span, error);
    throw error;
  } finally {
    span.end();
  }
}

export interface DispatchSpanFacts {
  eventId: string;
  partnerId: string;
  accountId: string;
  lane: string;
  attemptNumber: number;
  trigger: string;
  traceparent?: string | null;
}

/**
 * A dispatch attempt's span: the root of a trace of its own (it may run hours after the ingest, on
 * another process), linked to the event's ingest span through the stored `traceparent`. `work` runs
 * in it, so the CleverTap request and the recording are its children; the span ends when `settled`
 * (what `work` returns) does.
 */
export function tracedDispatch<T>(facts: DispatchSpanFacts, work: () => T, settled: (result: T) => Promise<unknown>): T {
  if (!tracingOn()) return work();
  const span = tracer().startSpan(
    'dispatch attempt',
    {
      kind: SpanKind.CONSUMER,
      root: true,
      links: linkTo(facts.traceparent),
      attributes: {
        'bulletin.event_id': facts.eventId,
        'bulletin.partner_id': facts.partnerId,
        'bulletin.account_id': facts.accountId,
        'bulletin.lane': facts.lane,
        'bulletin.attempt_number': facts.attemptNumber,
        'bulletin.trigger': facts.trigger,
      },
    },
    ROOT_CONTEXT,
  );
  const result = context.with(trace.setSpan(ROOT_CONTEXT, span), work);
  settled(result).then(
    () => span.end(),
    (error) => {
      failed(span, error);
      span.end();
    },
  );
  return result;
}

/** Adds the attempt's verdict to the active dispatch span (a no-op outside one, or with tracing off). */
export function noteAttemptVerdict(attributes: () => Attributes): void {
  if (!tracingOn()) return;
  trace.getActiveSpan()?.setAttributes(attributes());
}
