import { describe, expect, it } from 'vitest';
import { connectDataSources } from './connect-sources.ts';

describe('connectDataSources', () => {
  it('offers each data source by its provisioned uid, and only those given a URL', async () => {
    const all = connectDataSources({
      prometheusUrl: 'http://127.0.0.1:1',
      lokiUrl: 'http://127.0.0.1:2',
      databaseUrl: 'postgres://u:p@127.0.0.1:3/db', // postgres.js connects on the first query only
    });
    expect(Object.keys(all.sources).sort()).toEqual(['loki', 'postgres', 'prometheus']);
    await all.close();

    const some = connectDataSources({ prometheusUrl: 'http://127.0.0.1:1', lokiUrl: null });
    expect(Object.keys(some.sources)).toEqual(['prometheus']);
    await some.close();
  });
});
