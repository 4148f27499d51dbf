import { describe, expect, it } from 'vitest';
import { testSettings } from './testing/test-kit.ts';

const settings = (env: Record<string, string>) => testSettings('payment', env);

describe('kit settings', () => {
  it("default to the service's port, loopback, info logs, no Loki, no admin token and no tracing", () => {
    expect(settings({})).toEqual({
      service: 'payment',
      port: 8082,
      host: '127.0.0.1',
      lokiUrl: undefined,
      adminToken: undefined,
      env: 'demo',
      logLevel: 'info',
      tracing: { otlpTracesUrl: undefined },
    });
  });

  it('count an empty variable as unset', () => {
    expect(settings({ PORT: '', HOST: '', LOG_LEVEL: '' })).toMatchObject({
      port: 8082,
      host: '127.0.0.1',
      logLevel: 'info',
    });
  });

  it('name every refused variable with what it allows, and never echo a secret', () => {
    const refused = () =>
      settings({ PORT: '70000', LOKI_URL: 'loki:3100', ADMIN_TOKEN: 'short!', APP_ENV: 'demo' });
    expect(refused).toThrow(
      'invalid settings for payment: PORT must be a whole number from 1 to 65535; ' +
        'LOKI_URL must be an http(s) URL; ' +
        "ADMIN_TOKEN must be at least 8 characters: letters, digits and -._~+/ (then '=')",
    );
    expect(refused).not.toThrow(/short!/);
  });

  it('send spans to <endpoint>/v1/traces, or to the traces endpoint as given, unless the SDK is disabled', () => {
    const tracesUrl = (env: Record<string, string>) => settings(env).tracing.otlpTracesUrl;
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo:4318' })).toBe(
      'http://tempo:4318/v1/traces',
    );
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo:4318/' })).toBe(
      'http://tempo:4318/v1/traces',
    );
    expect(
      tracesUrl({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/spans',
      }),
    ).toBe('http://collector:4318/spans');
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://tempo:4318', OTEL_SDK_DISABLED: 'TRUE' })).toBe(
      undefined,
    );
    expect(() => settings({ OTEL_SDK_DISABLED: 'yes' })).toThrow('OTEL_SDK_DISABLED must be true or false');
  });
});
