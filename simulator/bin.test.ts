import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem, requiredNodeVersion } from './node-version.js';

const binPath = fileURLToPath(new URL('./bin.js', import.meta.url));
const engines = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    engines: { node: string };
  }
).engines.node;

/** bin.js on this Node, made to report `version` as process.versions.node when given. */
function runBin(args: string[], version?: string) {
  const pretend = version
    ? ['--import', `data:text/javascript,Object.defineProperty(process.versions,'node',{value:'${version}'})`]
    : [];
  return spawnSync(process.execPath, [...pretend, binPath, ...args], { encoding: 'utf8', timeout: 30_000 });
}

describe('the Node.js version guard of shopfast-sim', () => {
  it("takes the minimum from package.json's engines, which the README names", () => {
    expect(engines).toBe(`>=${requiredNodeVersion()}`);
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(
      `**Node.js ${requiredNodeVersion()} or newer** only for running the traffic simulator`,
    );
  });

  it('lets the minimum and anything newer through, and stops anything older', () => {
    for (const found of ['20.18.1', '20.19.0', '21.7.3', '22.0.0', '24.11.1']) {
      expect(nodeVersionProblem(found, '20.18.1', ['check']), found).toBeUndefined();
    }
    for (const found of ['20.18.0', '20.12.2', '20.9.0', '18.20.8', '16.20.2']) {
      expect(nodeVersionProblem(found, '20.18.1', ['check']), found).toBeDefined();
    }
  });

  it('says what it found, what it needs, and the Docker command for what was asked', () => {
    expect(nodeVersionProblem('20.11.1', '20.18.1', ['run', 'payment-failures', '--until-firing'])).toBe(
      'shopfast-sim needs Node.js 20.18.1 or newer and found 20.11.1: upgrade Node.js, or run it ' +
        'without Node: docker compose run --rm sim run payment-failures --until-firing',
    );
    expect(nodeVersionProblem('18.20.8', '20.18.1', [])).toMatch(/docker compose run --rm sim <command>$/);
  });

  it('prints that one line and exits 1 before loading the CLI on an older Node', () => {
    const outcome = runBin(['check'], '20.11.1');
    expect(outcome.stderr).toBe(
      `shopfast-sim needs Node.js ${requiredNodeVersion()} or newer and found 20.11.1: ` +
        'upgrade Node.js, or run it without Node: docker compose run --rm sim check\n',
    );
    expect(outcome.stdout).toBe('');
    expect(outcome.status).toBe(1);
  });

  it('runs the CLI on this Node', () => {
    const outcome = runBin(['--help']);
    expect(outcome.stderr).toBe('');
    expect(outcome.stdout).toMatch(/^Usage: shopfast-sim /);
    expect(outcome.status).toBe(0);
  });
});
