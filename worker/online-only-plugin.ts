import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'vite';

const REPO = resolve(import.meta.dirname, '..');
const OFFLINE_OPERATIONS = resolve(REPO, 'src/store/offline-operations.ts');
const OFFLINE_STUB = resolve(REPO, 'worker/edge-offline-stub.ts');
const FORBIDDEN_PACKAGES = /^(apache-arrow|@duckdb\/|parquet-wasm|hyparquet|lmdb|redis|@hono\/node-server|jiti)(\/|$)/;
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * For bundles that only serve (the edge worker, the demo's Service Worker): the facade's
 * offline half is swapped for the stub that answers with a clear error, and a module
 * reaching for Arrow, DuckDB, Parquet or a Node built-in fails the build, naming it.
 * `bundle` names the bundle in that error.
 */
export function onlineOnly(bundle: string): Plugin {
  return {
    name: 'feast-edge:online-only',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null;
      if (source.startsWith('.') && resolve(dirname(importer), source.replace(/\.js$/, '.ts')) === OFFLINE_OPERATIONS) return OFFLINE_STUB;
      if (NODE_BUILTINS.has(source) || source.startsWith('node:') || FORBIDDEN_PACKAGES.test(source)) {
        this.error(`${importer} imports '${source}', which ${bundle} must not contain (no Node built-ins, Arrow, DuckDB or Parquet)`);
      }
      return null;
    },
  };
}
