// The layering, enforced by `npm run layers` (part of `npm run lint`):
//   domain ← services/kit ← services/<name>;  domain ← simulator, grafana/src, scripts, bench.
// The simulator and the Grafana code meet only through grafana/src/index.ts; scripts reach the
// simulator only through simulator/index.ts; test helpers (harness/, */testing/, test/) stay out of
// everything that ships.
const testFile = '(\\.test\\.tsx?$|/testing/|^harness/|^test/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'domain-imports-nothing-of-ours',
      comment: 'domain/ is the centre: it may import libraries and itself only.',
      severity: 'error',
      from: { path: '^domain/' },
      to: { path: '^(services|simulator|grafana|scripts|bench|test|harness)/' },
    },
    {
      name: 'services-import-kit-and-domain-only',
      severity: 'error',
      from: { path: '^services/', pathNot: testFile },
      to: { path: '^(simulator|grafana|scripts|bench|test|harness)/' },
    },
    {
      name: 'kit-imports-no-service',
      severity: 'error',
      from: { path: '^services/kit/' },
      to: { path: '^services/(api|frontend|payment|inventory)/' },
    },
    {
      name: 'services-import-each-other-only-through-contracts',
      comment: 'A service reaches another over HTTP with the shapes in domain/contracts, never its modules.',
      severity: 'error',
      from: { path: '^services/(api|frontend|payment|inventory)/' },
      to: { path: '^services/(api|frontend|payment|inventory)/', pathNot: '^services/$1/' },
    },
    {
      name: 'simulator-uses-grafana-through-its-index',
      severity: 'error',
      from: { path: '^simulator/' },
      to: { path: '^grafana/src/', pathNot: '^grafana/src/index\\.ts$' },
    },
    {
      name: 'grafana-code-imports-no-simulator',
      severity: 'error',
      from: { path: '^grafana/' },
      to: { path: '^simulator/' },
    },
    {
      name: 'simulator-imports-no-scripts',
      severity: 'error',
      from: { path: '^simulator/', pathNot: testFile },
      to: { path: '^scripts/' },
    },
    {
      name: 'scripts-use-simulator-through-its-index',
      severity: 'error',
      from: { path: '^scripts/' },
      to: { path: '^simulator/', pathNot: '^simulator/index\\.ts$' },
    },
    {
      name: 'bench-imports-no-tests',
      severity: 'error',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'shipped-code-imports-no-test-helpers',
      severity: 'error',
      from: { pathNot: testFile + '|^bench/' },
      to: { path: testFile },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|grafana/provisioning)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
