import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePorts } from '../scripts/native/ports.ts';
import { spawnService, waitForService, type RunningService } from '../scripts/native/services.ts';
import { startLokiStandIn, type LokiStandIn } from '../scripts/native/loki-standin.ts';
import { waitFor } from './support/wait-for.ts';

// The payment service shows the kit's logging on its own (with the shared stack's database for
// its ledger); every charge gets a fresh order id, since the ledger charges each order id once.
const payment = () => ({
  orderId: randomUUID(),
  amountCents: 1299,
  currency: 'USD',
  method: 'card',
  holdMs: 60_000,
});

let recorder: LokiStandIn;
const running: RunningService[] = [];

async function startPayment(lokiUrl: string): Promise<RunningService> {
  const [port] = await freePorts(1);
  const service = spawnService({
    name: 'payment',
    env: {
      LOKI_URL: lokiUrl,
      APP_ENV: 'logs-test',
      ADMIN_TOKEN: 'logs-test-token',
      DATABASE_URL: inject('stack').databaseUrl,
    },
    port: port!,
    fromDist: false,
    output: 'quiet',
    logDir: mkdtempSync(join(tmpdir(), 'shopfast-logs-')),
  });
  running.push(service);
  await waitForService(service);
  return service;
}

const charge = (service: RunningService, requestId: string) =>
  fetch(`${service.url}/payments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify(payment()),
  });

const stdoutLines = (service: RunningService) =>
  readFileSync(service.child.logFile, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

beforeAll(async () => {
  recorder = await startLokiStandIn();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.child.stop()));
  recorder.clear();
});
afterAll(() => recorder.close());

describe('service logs', () => {
  it('pushes every line to Loki with the service, level and env labels', async () => {
    const service = await startPayment(recorder.url);
    expect((await charge(service, 'logs-req-1')).status).toBe(201);
    const access = await waitFor('the access log line in Loki', () =>
      recorder
        .entries('payment')
        .find((e) => e.line.includes('"requestId":"logs-req-1"') && e.line.includes('request completed')),
    );
    expect(access.labels).toMatchObject({ service: 'payment', env: 'logs-test', level: 'info' });
    expect(JSON.parse(access.line)).toMatchObject({
      requestId: 'logs-req-1',
      method: 'POST',
      route: '/payments',
      status: 201,
      durationMs: expect.any(Number),
    });
  });

  it('pushes gateway failures at error level with the exact message the alert matches', async () => {
    const service = await startPayment(recorder.url);
    await fetch(`${service.url}/admin/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: 'Bearer logs-test-token' },
      body: JSON.stringify({ gatewayFailureRate: 1 }),
    });
    expect((await charge(service, 'logs-req-2')).status).toBe(502);
    const failure = await waitFor('the payment failed line in Loki', () =>
      recorder.entries('payment').find((e) => e.line.includes('"msg":"payment failed"')),
    );
    expect(failure.labels.level).toBe('error');
    expect(JSON.parse(failure.line)).toMatchObject({ reason: expect.any(String), requestId: 'logs-req-2' });
  });

  it('keeps answering with Loki unreachable, and stdout still has every line', async () => {
    const [closedPort] = await freePorts(1);
    const service = await startPayment(`http://127.0.0.1:${closedPort}`);
    const ids = Array.from({ length: 20 }, (_, i) => `unreachable-${i}`);
    for (const id of ids) expect((await charge(service, id)).status).toBe(201);
    await service.child.stop();
    const logged = stdoutLines(service)
      .filter((l) => l.msg === 'request completed')
      .map((l) => l.requestId);
    expect(logged).toEqual(expect.arrayContaining(ids));
  });

  it('flushes the last lines to Loki on SIGTERM before exiting', async () => {
    const service = await startPayment(recorder.url);
    expect((await charge(service, 'last-words')).status).toBe(201);
    const started = Date.now();
    await service.child.stop();
    expect(await service.child.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    const lines = recorder.entries('payment').map((e) => e.line);
    expect(lines.some((l) => l.includes('"requestId":"last-words"'))).toBe(true);
    expect(lines.some((l) => l.includes('payment stopped'))).toBe(true);
  });
});
