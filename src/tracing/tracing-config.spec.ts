// class-transformer's @Type needs the metadata polyfill that the entry points load first.
import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/gateway-config.js';

const tracingOf = (env: Record<string, string>) => loadConfig({ CLEVERTAP_ACCOUNT_ID: 'a', CLEVERTAP_PASSCODE: 'p', ...env }).tracing;

function problemsOf(env: Record<string, string>): string[] {
  try {
    tracingOf(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('tracing configuration', () => {
  it('is off when no OTEL_* variable asks for it, even with a service name or a sampler', () => {
    expect(tracingOf({})).toBeUndefined();
    expect(tracingOf({ OTEL_SERVICE_NAME: 'x', OTEL_TRACES_SAMPLER: 'always_on', OTEL_RESOURCE_ATTRIBUTES: 'a=b' })).toBeUndefined();
  });

  it('is on with an exporter or an OTLP endpoint', () => {
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'console' })).toEqual({ exporter: 'console', serviceName: 'bulletin-gateway' });
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SERVICE_NAME: 'gw-eu' })).toEqual({ exporter: 'otlp', serviceName: 'gw-eu' });
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toEqual({ exporter: 'otlp', serviceName: 'bulletin-gateway' });
    expect(tracingOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector/v1/traces' })?.exporter).toBe('otlp');
  });

  it('OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none win over everything else', () => {
    expect(tracingOf({ OTEL_SDK_DISABLED: 'TRUE', OTEL_TRACES_EXPORTER: 'otlp' })).toBeUndefined();
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBeUndefined();
    expect(tracingOf({ OTEL_SDK_DISABLED: 'false', OTEL_TRACES_EXPORTER: 'console' })?.exporter).toBe('console');
  });

  it('refuses bad values with one line each', () => {
    expect(problemsOf({ OTEL_TRACES_EXPORTER: 'zipkin' })).toEqual([expect.stringMatching(/^OTEL_TRACES_EXPORTER must be one of otlp, console, none/)]);
    expect(problemsOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toEqual([expect.stringMatching(/^OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/)]);
    expect(problemsOf({ OTEL_TRACES_SAMPLER: 'sometimes' })).toEqual([expect.stringMatching(/^OTEL_TRACES_SAMPLER must be one of/)]);
    expect(problemsOf({ OTEL_TRACES_SAMPLER_ARG: '1.5' })).toEqual([expect.stringMatching(/^OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1/)]);
    expect(problemsOf({ OTEL_SDK_DISABLED: 'yes' })).toEqual([expect.stringMatching(/^OTEL_SDK_DISABLED must be true or false/)]);
    expect(tracingOf({ OTEL_TRACES_SAMPLER_ARG: '0.25', OTEL_TRACES_EXPORTER: 'console' })).toBeDefined();
  });
});
