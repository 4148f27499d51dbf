// The layering, enforced by `npm run layers` (part of `npm run lint`):
//   domain ← services/kit ← services/<name>;  domain ← simulator, grafana/src, scripts, bench.
// The simulator and the Grafana code meet only through grafana/src/index.ts; scripts reach the
// simulator only through simulator/index.ts; test helpers (harness/, */testing/, test/) stay out of
// everything that ships.
const testFile = '(\\.test\\.tsx?$|/testing/|^harness/|^test/)';

/** One forbidden edge: from files matching `from` to files matching `to`. */
function forbid(name, from, to, comment) {
  return { name, severity: 'error', from, to, ...(comment ? { comment } : {}) };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    forbid(
      'domain-imports-nothing-of-ours',
      { path: '^domain/' },
      { path: '^(services|simulator|grafana|scripts|bench|test|harness)/' },
      'domain/ is the centre: it may import libraries and itself only.',
    ),
    forbid(
      'services-import-kit-and-domain-only',
      { path: '^services/', pathNot: testFile },
      { path: '^(simulator|grafana|scripts|bench|test|harness)/' },
    ),
    forbid(
      'kit-imports-no-service',
      { path: '^services/kit/' },
      { path: '^services/(api|frontend|payment|inventory)/' },
    ),
    forbid(
      'services-import-each-other-only-through-contracts',
      { path: '^services/(api|frontend|payment|inventory)/' },
      { path: '^services/(api|frontend|payment|inventory)/', pathNot: '^services/$1/' },
      'A service reaches another over HTTP with the shapes in domain/contracts, never its modules.',
    ),
    forbid(
      'simulator-uses-grafana-through-its-index',
      { path: '^simulator/' },
      { path: '^grafana/src/', pathNot: '^grafana/src/index\\.ts$' },
    ),
    forbid('grafana-code-imports-no-simulator', { path: '^grafana/' }, { path: '^simulator/' }),
    forbid('simulator-imports-no-scripts', { path: '^simulator/', pathNot: testFile }, { path: '^scripts/' }),
    forbid(
      'scripts-use-simulator-through-its-index',
      { path: '^scripts/' },
      { path: '^simulator/', pathNot: '^simulator/index\\.ts$' },
    ),
    forbid('bench-imports-no-tests', { path: '^bench/' }, { path: '^test/' }),
    forbid('shipped-code-imports-no-test-helpers', { pathNot: testFile + '|^bench/' }, { path: testFile }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|grafana/provisioning)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
