import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleExports, exportSources, SIZE_MARKERS, sizeTable } from '../../build/size-report.js';

const REPO = join(import.meta.dirname, '..', '..');
const EDGE_BUDGET_GZIP = 60 * 1024;

describe('the package as a consumer bundles it (esbuild, workerd conditions, minified, gzipped)', () => {
  it('keeps feast-edge + /server + /cloudflare under 60 KB gzipped, with no Arrow, DuckDB or idb inside', async () => {
    const edge = await bundleExports(['.', './server', './cloudflare']);
    expect(edge.gzipBytes).toBeLessThan(EDGE_BUDGET_GZIP);
    expect(edge.packages.filter((p) => /^(apache-arrow|@duckdb\/|idb|parquet-wasm|flatbuffers)$/.test(p))).toEqual([]);
  });

  it('lists every export in the README size table, as the build measures it today', async () => {
    const readme = await readFile(join(REPO, 'README.md'), 'utf8');
    const [start, end] = SIZE_MARKERS;
    const section = readme.slice(readme.indexOf(start) + start.length, readme.indexOf(end)).trim();
    for (const name of (await exportSources()).keys()) {
      expect(section).toContain(`\`${name === '.' ? 'feast-edge' : `feast-edge/${name.slice(2)}`}\``);
    }
    expect(section, 'README.md sizes are stale: run npm run size').toBe(await sizeTable());
  });

  it('installs no DuckDB, Parquet, LMDB, Redis or CLI package for an edge-only user (they are optional peers)', async () => {
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional: boolean }>;
    };
    const heavy = [
      '@duckdb/duckdb-wasm',
      '@duckdb/node-api',
      'apache-arrow',
      'parquet-wasm',
      'lmdb',
      'redis',
      'commander',
      'jiti',
      'yaml',
      '@hono/node-server',
    ];
    expect(Object.keys(pkg.dependencies).filter((d) => heavy.includes(d))).toEqual([]);
    expect(heavy.filter((d) => !pkg.peerDependenciesMeta[d]?.optional)).toEqual([]);
  });
});
