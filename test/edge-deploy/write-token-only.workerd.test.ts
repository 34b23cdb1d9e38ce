import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { build } from 'vite';
import { expect, it } from 'vitest';
import { FIXTURE_PROJECT } from '../server/fixture-definitions.js';
import { expectWriteTokenOnlyRule, fetchSend, WRITE_TOKEN } from './write-token-cases.js';

// The Worker as the edge build makes it (fixture repo), in workerd through miniflare, with only FEAST_WRITE_TOKEN bound.
const CONFIG = fileURLToPath(new URL('../../vite.edge.config.ts', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../server/fixture-definitions.ts', import.meta.url));

it('with only FEAST_WRITE_TOKEN set, the Worker leaves reads open and guards writes', async () => {
  process.env.FEAST_EDGE_DEFINITIONS = FIXTURE;
  const result = await build({ configFile: CONFIG, logLevel: 'warn', build: { write: false } });
  const output = (Array.isArray(result) ? result : [result]) as unknown as { output: { code: string }[] }[];
  const mf = new Miniflare({
    modules: true,
    script: output[0].output[0].code,
    compatibilityDate: '2026-04-01',
    kvNamespaces: ['FEAST_ONLINE'],
    bindings: { FEAST_PROJECT: FIXTURE_PROJECT, FEAST_WRITE_TOKEN: WRITE_TOKEN },
  });
  try {
    await mf.ready;
    const fetcher = (url: string, init: RequestInit) => mf.dispatchFetch(url, init as never) as unknown as Promise<Response>;
    await expectWriteTokenOnlyRule(fetchSend('http://worker', fetcher));
    // Still a real token check: the /health route stays open, as documented.
    expect((await mf.dispatchFetch('http://worker/health')).status).toBe(200);
  } finally {
    await mf.dispose();
  }
});
