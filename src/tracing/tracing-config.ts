import type { Environment } from '../config/environment.js';

/** Tracing as configured: where spans go. Undefined in the config: tracing is off. */
export interface TracingConfig {
  exporter: 'otlp' | 'console';
  /** OTEL_SERVICE_NAME, else the gateway's own name (OTEL_RESOURCE_ATTRIBUTES may still set it). */
  serviceName: string;
}

export const DEFAULT_SERVICE_NAME = 'bulletin-gateway';

/**
 * Tracing is on only when an operator asked for it: OTEL_TRACES_EXPORTER says `otlp` or `console`, or an
 * OTLP endpoint is set (then the exporter is OTLP). The specification's default exporter is `otlp`, but
 * a gateway that nobody pointed at a collector would only send spans into the void, so unset means off.
 * OTEL_SDK_DISABLED=true or OTEL_TRACES_EXPORTER=none turn it off whatever else is set. Off, no SDK is
 * loaded and the API's no-op tracer is all the code meets.
 */
export function tracingConfig(values: Environment): TracingConfig | undefined {
  if (values.OTEL_SDK_DISABLED?.toLowerCase() === 'true' || values.OTEL_TRACES_EXPORTER === 'none') return undefined;
  const endpoint = values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? values.OTEL_EXPORTER_OTLP_ENDPOINT;
  const exporter = values.OTEL_TRACES_EXPORTER ?? (endpoint ? 'otlp' : undefined);
  if (!exporter) return undefined;
  return { exporter, serviceName: values.OTEL_SERVICE_NAME ?? DEFAULT_SERVICE_NAME };
}
