import { describe, expect, it } from 'vitest';
import { simulatorSettingsFrom } from './settings.ts';

describe('simulator settings', () => {
  it('trace to the OTLP endpoint when one is set, and not at all otherwise', () => {
    expect(simulatorSettingsFrom({}).tracing).toEqual({ otlpTracesUrl: undefined });
    expect(simulatorSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }).tracing).toEqual({
      otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces',
    });
  });

  it('refuse an endpoint that is no http(s) URL, naming it', () => {
    expect(() => simulatorSettingsFrom({ OTEL_EXPORTER_OTLP_ENDPOINT: 'tempo:4318' })).toThrow(
      'invalid settings for shopfast-sim: OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL',
    );
  });
});
