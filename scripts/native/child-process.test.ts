import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChild } from './child-process.ts';
import { waitUntilReady } from './wait-ready.ts';

const dir = await mkdtemp(join(tmpdir(), 'shopfast-child-test-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

function node(name: string, script: string) {
  return startChild({
    name,
    command: process.execPath,
    args: ['-e', script],
    cwd: dir,
    env: process.env,
    output: 'quiet',
    logFile: join(dir, `${name}.log`),
  });
}

describe('startChild', () => {
  it('keeps the last 200 lines in memory and all of them in the log file', async () => {
    const child = node(
      'counter',
      'for (let i = 1; i <= 250; i++) console.log("line " + i); console.error("done");',
    );
    expect(await child.exited).toBe(0);
    const recent = child.recentOutput();
    expect(recent).toHaveLength(200);
    expect(recent).toContain('done');
    expect(recent).not.toContain('line 1');
    await expect.poll(async () => (await readFile(child.logFile, 'utf8')).split('\n').length).toBe(252);
  });

  it('stops a child that ignores SIGTERM with SIGKILL after the grace period', async () => {
    const child = node(
      'stubborn',
      'process.on("SIGTERM", () => console.log("ignored")); setInterval(() => {}, 1000); console.log("up")',
    );
    await expect.poll(() => child.recentOutput()).toContain('up');
    const started = Date.now();
    await child.stop(500);
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(child.isRunning()).toBe(false);
    expect(await child.exited).toBe('SIGKILL');
  });

  it('throws at once for a command that does not exist', () => {
    expect(() =>
      startChild({
        name: 'ghost',
        command: join(dir, 'no-such-binary'),
        args: [],
        cwd: dir,
        env: process.env,
        output: 'quiet',
        logFile: join(dir, 'ghost.log'),
      }),
    ).toThrow(/could not start ghost/);
  });
});

describe('waitUntilReady', () => {
  it('gives up as soon as the child exits, quoting its last output', async () => {
    const child = node(
      'crasher',
      'console.error("invalid environment for api: PORT: too big"); process.exit(3)',
    );
    const started = Date.now();
    await expect(
      waitUntilReady('http://127.0.0.1:9/ready', { what: 'api', timeoutMs: 20_000, child }),
    ).rejects.toThrow(/api exited \(3\)[\s\S]*invalid environment for api: PORT: too big/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('reports the last answer when the deadline passes', async () => {
    const server = createServer((_, res) => res.writeHead(503).end('database unreachable'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(
        // Long enough for a first answer on a busy machine (0.6 s once saw only a timed-out attempt).
        waitUntilReady(`http://127.0.0.1:${port}/ready`, { what: 'api', timeoutMs: 3_000 }),
      ).rejects.toThrow(/api was not ready within 3 s .*HTTP 503 database unreachable/);
    } finally {
      server.close();
    }
  });

  it('resolves once the URL answers 200', async () => {
    let calls = 0;
    const server = createServer((_, res) => res.writeHead(++calls < 3 ? 503 : 200).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await waitUntilReady(`http://127.0.0.1:${port}/ready`, { what: 'api', timeoutMs: 5_000 });
      expect(calls).toBe(3);
    } finally {
      server.close();
    }
  });
});
