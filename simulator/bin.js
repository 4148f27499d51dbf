#!/usr/bin/env node
// `npx shopfast-sim` from the repository, no build needed: check the Node.js version, then register
// tsx's loader and run the TypeScript CLI. Only the check is imported statically: static imports are
// linked before any line runs, so on an old Node the CLI's own imports would stop with a SyntaxError
// before the check could say what is wrong.
import { nodeVersionProblem, requiredNodeVersion } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node, requiredNodeVersion(), process.argv.slice(2));
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
// A promise chain, not top-level await: that too is newer than some Node.js versions with ES modules.
import('tsx/esm/api').then(({ register }) => {
  register();
  return import('./main.ts');
});
