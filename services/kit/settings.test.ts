import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { databaseVariables, kitVariables, parseSettings } from './settings.ts';
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

  describe('read from the file <NAME>_FILE names (the Docker stack hands its secrets over so)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'settings-files-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };

    it('take the value without its trailing newline, for any variable of the schema', () => {
      const token = file('ADMIN_TOKEN', 'token-from-a-file\n');
      const url = file('DATABASE_URL', 'postgres://shopfast:s3cret@postgres:5432/shopfast');
      expect(settings({ ADMIN_TOKEN_FILE: token }).adminToken).toBe('token-from-a-file');
      const withDatabase = z.object({ ...kitVariables('api'), ...databaseVariables }).refine(() => true);
      expect(
        parseSettings(withDatabase, { DATABASE_URL_FILE: url, ADMIN_TOKEN_FILE: token }, 'api'),
      ).toMatchObject({
        DATABASE_URL: 'postgres://shopfast:s3cret@postgres:5432/shopfast',
        ADMIN_TOKEN: 'token-from-a-file',
      });
    });

    it('check the value as if it were set directly', () => {
      expect(() => settings({ ADMIN_TOKEN_FILE: file('short', 'short!') })).toThrow(
        'ADMIN_TOKEN must be at least 8 characters',
      );
    });

    it('refuse both NAME and NAME_FILE, and a file that cannot be read', () => {
      const token = file('token', 'token-from-a-file');
      expect(() => settings({ ADMIN_TOKEN: 'token-in-the-env', ADMIN_TOKEN_FILE: token })).toThrow(
        'invalid settings for payment: set ADMIN_TOKEN or ADMIN_TOKEN_FILE, not both',
      );
      expect(() => settings({ ADMIN_TOKEN_FILE: join(dir, 'missing') })).toThrow(
        `invalid settings for payment: ADMIN_TOKEN_FILE names ${join(dir, 'missing')}, which cannot be read (ENOENT)`,
      );
    });

    it('leave alone a *_FILE that names no variable of the schema', () => {
      expect(settings({ SOMETHING_ELSE_FILE: join(dir, 'missing') }).port).toBe(8082);
    });
  });
});
