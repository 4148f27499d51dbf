import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { testApp } from '../testing/test-kit.ts';

describe('HTTP metrics', () => {
  it('labels requests with the route pattern, never the raw path', async () => {
    const { app, metricsText } = testApp();
    app.get('/items/:id', (c) => c.json({ id: c.req.param('id') }));
    await app.request('/items/42');
    await app.request('/items/43');
    await app.request('/nowhere/at/all');
    const text = await metricsText();
    expect(text).toContain(
      'http_requests_total{method="GET",route="/items/:id",status="200",service="api"} 2',
    );
    expect(text).toContain('http_requests_total{method="GET",route="/*",status="404",service="api"} 1');
    expect(text).not.toContain('/items/42');
    expect(text).toMatch(
      /http_request_duration_seconds_bucket\{le="0.005",service="api",method="GET",route="\/items\/:id"\}/,
    );
    expect(text).toMatch(/^process_cpu_seconds_total\{service="api"\} /m);
  });

  it('puts every method outside the standard ones under one label', async () => {
    const { app, metricsText } = testApp();
    for (const method of ['BREW', 'PROPFIND', 'X-ANYTHING']) await app.request('/work', { method });
    const text = await metricsText();
    expect(text).toContain('http_requests_total{method="other",route="/*",status="404",service="api"} 3');
    expect(text).not.toContain('BREW');
  });

  it('passes promtool check metrics, apart from three gauges prom-client itself names *_total', async () => {
    const { app, metricsText } = testApp();
    await app.request('/work');
    const result = spawnSync('promtool', ['check', 'metrics'], {
      input: await metricsText(),
      encoding: 'utf8',
    });
    expect(result.error).toBeUndefined();
    const problems = `${result.stdout}${result.stderr}`.split('\n').filter(Boolean);
    const upstreamNames =
      /^nodejs_active_(handles|requests|resources)_total non-counter metrics should not have "_total" suffix$/;
    expect(problems.filter((line) => !upstreamNames.test(line))).toEqual([]);
  });
});
