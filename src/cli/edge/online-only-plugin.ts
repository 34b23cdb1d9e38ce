import { builtinModules } from 'node:module';
import type { Plugin } from 'vite';

const FORBIDDEN_PACKAGES = /^(apache-arrow|@duckdb\/|parquet-wasm|hyparquet|lmdb|redis|@hono\/node-server|jiti)(\/|$)/;
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/**
 * For bundles that only serve (the edge worker, the demo's Service Worker): they pass no
 * offline store, so nothing reaches the offline half; a module that reaches for Arrow,
 * DuckDB, Parquet or a Node built-in anyway fails the build, naming it.
 * `bundle` names the bundle in that error.
 */
export function onlineOnly(bundle: string): Plugin {
  return {
    name: 'feast-edge:online-only',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null;
      if (NODE_BUILTINS.has(source) || source.startsWith('node:') || FORBIDDEN_PACKAGES.test(source)) {
        this.error(`${importer} imports '${source}', which ${bundle} must not contain (no Node built-ins, Arrow, DuckDB or Parquet)`);
      }
      return null;
    },
  };
}
