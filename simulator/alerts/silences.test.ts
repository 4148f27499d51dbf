import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCommandLine } from '../cli.ts';
import { exitCodes } from '../errors.ts';
import { describeMatchers, parseMatcher, silenceFor } from './silences.ts';

const now = Date.parse('2026-12-07T12:00:00Z');

describe('silenceFor', () => {
  it('matches the rule by its uid label, then each --match, for the given time, as shopfast-sim', () => {
    const silence = silenceFor(
      { alert: 'high-cpu', match: ['service=api'], for: '10m', comment: 'deploy' },
      now,
    );
    expect(silence).toEqual({
      matchers: [
        { name: '__alert_rule_uid__', value: 'high-cpu', isRegex: false, isEqual: true },
        { name: 'service', value: 'api', isRegex: false, isEqual: true },
      ],
      startsAt: '2026-12-07T12:00:00.000Z',
      endsAt: '2026-12-07T12:10:00.000Z',
      createdBy: 'shopfast-sim',
      comment: 'deploy',
    });
    expect(describeMatchers(silence)).toBe('high-cpu, service=api');
  });

  it.each([
    [{ alert: 'no-such-alert', for: '10m' }, /unknown alert "no-such-alert": one of high-cpu/],
    [{ alert: 'high-cpu', for: 'soon' }, /--for soon: a duration such as 90s/],
    [{ alert: 'high-cpu', for: '0' }, /--for 0: a duration/],
    [{ alert: 'high-cpu', for: '25h' }, /at most 24h/],
    [{ alert: 'high-cpu', for: '1m', match: ['service'] }, /--match service: expected label=value/],
    [{ alert: 'high-cpu', for: '1m', match: ['=api'] }, /expected label=value/],
  ])('refuses %j', (request, message) => {
    expect(() => silenceFor(request, now)).toThrow(message);
  });

  it('reads label=value with spaces around', () => {
    expect(parseMatcher(' team = shop ')).toMatchObject({ name: 'team', value: 'shop' });
  });
});

describe('silence, silences and unsilence on the command line', () => {
  afterEach(() => vi.restoreAllMocks());

  /** Runs the command with nothing reachable: bad input must be refused before anything is asked. */
  async function run(...args: string[]) {
    const stderr = vi.spyOn(process.stderr, 'write').mockReturnValue(true);
    const code = await runCommandLine([
      'node',
      'shopfast-sim',
      '--grafana-url',
      'http://127.0.0.1:9',
      '--alertmanager-url',
      'http://127.0.0.1:9',
      ...args,
    ]);
    return { code, stderr: stderr.mock.calls.map((call) => String(call[0])).join('') };
  }

  it.each([
    [['silence', 'nope', '--for', '5m'], /unknown alert "nope"/],
    [['silence', 'high-cpu', '--for', '2d'], /at most 24h/],
    [['silence', 'high-cpu', '--for', '5m', '--match', 'service'], /expected label=value/],
    [['silence', 'high-cpu'], /required option '--for <duration>'/],
    [['unsilence'], /a silence id or --all/],
    [['unsilence', 'abc', '--all'], /a silence id or --all/],
  ])('%j exits 2 without asking any Alertmanager', async (args, message) => {
    const { code, stderr } = await run(...args);
    expect(stderr).toMatch(message);
    expect(code).toBe(exitCodes.usage);
  });

  it('says no Alertmanager answers (exit 3) when the input is good but none runs', async () => {
    const { code, stderr } = await run('silences');
    expect(stderr).toMatch(/Alertmanager is not reachable at http:\/\/127.0.0.1:9/);
    expect(code).toBe(exitCodes.unreachable);
  });
});
