import { type Attributes, context, type Link, propagation, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { packageVersion } from '../cli/package-version.js';
import { DEFAULT_SERVICE_NAME, type TracingConfig } from './tracing-config.js';
import { parseTraceparent } from './traceparent.js';

/**
 * OpenTelemetry tracing of one bulletin's way through the gateway (docs/observability.md). The code
 * calls only `@opentelemetry/api`; the SDK is loaded and registered by startTracing when tracing is
 * configured, and until then every helper here returns before touching the API.
 */

const TRACER_NAME = 'bulletin-gateway';

let running: { shutdown(): Promise<void> } | undefined;

/** Whether this process records spans; false unless startTracing registered an SDK. */
export const tracingOn = (): boolean => running !== undefined;

export const tracer = (): Tracer => trace.getTracer(TRACER_NAME);

export interface Tracing {
  /** Exports what is buffered, then unregisters everything startTracing registered. */
  shutdown(): Promise<void>;
}

/**
 * Registers the SDK when `config` asks for tracing: a tracer provider with the configured exporter
 * (batched), W3C trace context propagation, AsyncLocalStorage context, and the undici instrumentation
 * for the CleverTap request (it listens on undici's diagnostics channels, so it needs no module
 * patching, and it makes a span only under a span of ours: requireParentforSpans). `spanProcessors`
 * are added as they are (tests pass an in-memory exporter's). Undefined when there is nothing to do.
 */
export async function startTracing(config: TracingConfig | undefined, options: { spanProcessors?: SpanProcessor[] } = {}): Promise<Tracing | undefined> {
  if (running) throw new Error('tracing is already started in this process');
  const processors = [...(options.spanProcessors ?? [])];
  if (!config && processors.length === 0) return undefined;
  const [sdk, core, resources, { UndiciInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/core'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation-undici'),
  ]);
  if (config) processors.push(new sdk.BatchSpanProcessor(await exporterFor(config, sdk)));
  // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (the environment detector) win over the defaults.
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': config?.serviceName ?? DEFAULT_SERVICE_NAME, 'service.version': packageVersion() }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  // The sampler comes from OTEL_TRACES_SAMPLER(_ARG), read by the provider (default: parent-based, always on).
  const provider = new sdk.NodeTracerProvider({ resource, spanProcessors: processors });
  // Only trace context crosses to CleverTap: no baggage of anyone's.
  provider.register({ propagator: new core.W3CTraceContextPropagator() });
  // No request or response header becomes an attribute unless configured (headersToSpanAttributes): the
  // passcode header stays out of every span.
  const undici = new UndiciInstrumentation({ requireParentforSpans: true });
  undici.setTracerProvider(provider);
  undici.enable();
  const handle = {
    shutdown: async () => {
      undici.disable();
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
      running = undefined;
    },
  };
  running = handle;
  return handle;
}

async function exporterFor(config: TracingConfig, sdk: typeof import('@opentelemetry/sdk-trace-node')) {
  if (config.exporter === 'console') return new sdk.ConsoleSpanExporter();
  // Endpoint, headers, timeout and compression come from the standard OTEL_EXPORTER_OTLP_* variables.
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  return new OTLPTraceExporter();
}

/**
 * Runs `work` in a child span of the active one, ended when it settles; with tracing off, just runs it
 * (`attributes` is a function so that nothing is built then).
 * An error marks the span failed with its type only: messages may quote what was refused.
 */
export async function inSpan<T>(name: string, attributes: () => Attributes, work: (span: Span | undefined) => Promise<T>, kind = SpanKind.INTERNAL): Promise<T> {
  if (!running) return work(undefined);
  return tracer().startActiveSpan(name, { kind, attributes: attributes() }, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failed(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Marks a span failed, naming the error's type or code and never its message. */
export function failed(span: Span, error: unknown): void {
  const code = (error as { code?: unknown })?.code;
  span.setAttribute('error.type', typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? code : ((error as Error)?.name ?? 'Error'));
  span.setStatus({ code: SpanStatusCode.ERROR });
}

/** A link to the span a stored `traceparent` names (the event's ingest span), when it is a valid one. */
export function linkTo(traceparent: string | null | undefined): Link[] {
  const spanContext = traceparent ? parseTraceparent(traceparent) : undefined;
  return spanContext ? [{ context: spanContext, attributes: { 'bulletin.link': 'ingest' } }] : [];
}

