// The oldest Node.js the host simulator runs on, and the one line that says so when this one is
// older. Plain JavaScript with only node:fs: bin.js runs it before anything that needs a newer
// Node is loaded, so it must itself load on any Node that runs ES modules.
import { readFileSync } from 'node:fs';

/**
 * The minimum from package.json's engines.node (">=X.Y.Z"), the one place it is written. Today
 * undici 7 sets it (its engines: >=20.18.1); node:util's parseEnv, which reads .env, needs 20.12.
 */
export function requiredNodeVersion() {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const range = manifest.engines && manifest.engines.node;
  const match = /^>=(\d+\.\d+\.\d+)$/.exec(range || '');
  if (!match) throw new Error(`package.json engines.node must read ">=X.Y.Z", not "${range}"`);
  return match[1];
}

/** Undefined when Node `found` is at least `required`; else the line to print, with the Docker way round it. */
export function nodeVersionProblem(found, required, args) {
  if (!isOlder(found, required)) return undefined;
  const command = args.length > 0 ? args.join(' ') : '<command>';
  return (
    `shopfast-sim needs Node.js ${required} or newer and found ${found}: ` +
    `upgrade Node.js, or run it without Node: docker compose run --rm sim ${command}`
  );
}

function isOlder(found, required) {
  const a = found.split('.').map(Number);
  const b = required.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    if (a[i] !== b[i]) return a[i] < b[i];
  }
  return false;
}
