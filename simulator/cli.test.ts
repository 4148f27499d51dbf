import { describe, expect, it } from 'vitest';
import { unreachableUrl, withOverrides, envWithoutTargets } from '../harness/cli-env.ts';
import { runCliInProcess } from '../harness/cli-in-process.ts';
import { scenarioNames } from '../domain/scenarios.ts';
import { exitCodes } from './errors.ts';

// The command line as a function: parsing, usage errors and their exit codes, with every target
// on a port where nothing listens (what needs a service that answers is tested against the stack,
// in test/simulator-cli.test.ts).

const nowhere = withOverrides(envWithoutTargets(), {
  SHOPFAST_API_URL: unreachableUrl,
  SHOPFAST_FRONTEND_URL: unreachableUrl,
  SHOPFAST_PAYMENT_URL: unreachableUrl,
  SHOPFAST_INVENTORY_URL: unreachableUrl,
  PROMETHEUS_URL: unreachableUrl,
  LOKI_URL: unreachableUrl,
  GRAFANA_URL: unreachableUrl,
  DATABASE_URL: 'postgres://shopfast:shopfast@127.0.0.1:9/shopfast',
  ADMIN_TOKEN: 'a-token-nobody-checks',
});

describe('shopfast-sim rejects bad arguments with a clear message and the documented exit code', () => {
  const cases: { args: string[]; env?: Record<string, string | undefined>; code: number; message: RegExp }[] =
    [
      {
        args: ['run', 'nope'],
        code: 2,
        message: /unknown scenario "nope": choose one of normal, flash-sale/,
      },
      { args: ['trigger', 'nope'], code: 2, message: /unknown alert "nope": choose one of high-cpu/ },
      {
        args: ['run', 'normal', '--duration', '0'],
        code: 2,
        message: /--duration.*whole number from 1 to 3600/,
      },
      { args: ['run', 'normal', '--duration', '1.5'], code: 2, message: /whole number/ },
      { args: ['run', 'normal', '--rate', 'fast'], code: 2, message: /--rate.*above 0 and at most 20/ },
      { args: ['run', 'normal', '--rate', '-1'], code: 2, message: /--rate/ },
      { args: ['run', 'normal', '--seed', 'x'], code: 2, message: /seed: a whole number/ },
      { args: ['run'], code: 2, message: /missing required argument 'scenario'/ },
      { args: ['fly'], code: 2, message: /unknown command 'fly'/ },
      {
        args: ['status', '--api-url', 'not a url'],
        code: 2,
        message: /the api URL "not a url" is not a URL/,
      },
      { args: ['status', '--grafana-url', 'ftp://x'], code: 2, message: /must start with http/ },
      {
        args: ['reset'],
        env: { ADMIN_TOKEN: undefined },
        code: 2,
        message: /no admin token: set ADMIN_TOKEN/,
      },
      {
        args: ['run', 'payment-failures', '--duration', '5'],
        env: { ADMIN_TOKEN: undefined },
        code: 2,
        message: /payment-failures sets faults: set ADMIN_TOKEN/,
      },
      {
        args: ['run', 'normal', '--duration', '5'],
        code: 3,
        message: /api is not reachable at http:\/\/127\.0\.0\.1:9/,
      },
      {
        args: ['reset', '--wait', '--timeout', '0'],
        code: 2,
        message: /--timeout.*whole number from 1 to 3600/,
      },
      { args: ['rehearse', '--seed', '-3'], code: 2, message: /seed: a whole number/ },
      {
        args: ['rehearse', 'high-cpu', 'all'],
        code: 2,
        message: /unknown scenario "all": rehearse some of normal, flash-sale, .*maintenance$/m,
      },
      {
        args: ['rehearse'],
        env: { ADMIN_TOKEN: undefined },
        code: 2,
        message: /rehearse sets faults and resets: set ADMIN_TOKEN/,
      },
      {
        args: ['status', '--database-url', 'mysql://root:pw@db/x'],
        code: 2,
        message: /the database URL is not a PostgreSQL URL/,
      },
    ];

  const describeCase = (c: (typeof cases)[number]) =>
    [
      ...c.args,
      ...Object.entries(c.env ?? {}).map(
        ([name, value]) => `(${name} ${value === undefined ? 'unset' : value})`,
      ),
    ].join(' ');

  it.each(cases.map((c) => ({ ...c, line: describeCase(c) })))(
    '$line → exit $code',
    async ({ args, env: overrides, code, message }) => {
      const outcome = await runCliInProcess(args, withOverrides(nowhere, overrides ?? {}));
      expect(outcome.code).toBe(code);
      expect(outcome.stderr).toMatch(message);
    },
  );

  it('points to --help after a usage error, and prints nothing on stdout', async () => {
    const outcome = await runCliInProcess(['run', 'normal', '--rate', 'fast'], nowhere);
    expect(outcome.stderr).toContain('(shopfast-sim --help lists commands, options and exit codes)');
    expect(outcome.stdout).toBe('');
  });
});

describe('shopfast-sim --help and list', () => {
  it('documents the exit codes in --help, and exits 0', async () => {
    const outcome = await runCliInProcess(['--help'], nowhere);
    expect(outcome.code).toBe(exitCodes.ok);
    for (const line of [
      '2    usage error',
      '3    a target',
      '4    --until-firing',
      '6    not Normal',
      '7    rehearse:',
      '130  stopped by Ctrl-C',
      'DATABASE_URL',
      'never Grafana',
    ]) {
      expect(outcome.stdout).toContain(line);
    }
  });

  it('lists every scenario as one JSON object each, without asking any target', async () => {
    const outcome = await runCliInProcess(['list', '--json'], nowhere);
    expect(outcome.code, outcome.stderr).toBe(exitCodes.ok);
    expect(outcome.events.map((event) => event.name)).toEqual([...scenarioNames]);
  });
});
