import { describe, expect, it } from 'vitest';
import { missingCliPackages } from '../../src/cli/required-packages.js';

const resolverWith = (installed: readonly string[]) => (name: string) => {
  if (!installed.includes(name)) throw new Error(`Cannot find package '${name}'`);
  return `file:///node_modules/${name}/index.js`;
};
const BASE = ['commander', 'jiti', 'yaml', 'apache-arrow', 'lmdb', '@hono/node-server'];

describe('the CLI checks its optional peer packages before loading', () => {
  it('needs nothing more when the base packages and native DuckDB are installed', () => {
    expect(missingCliPackages(resolverWith([...BASE, '@duckdb/node-api']))).toEqual([]);
  });

  it('accepts DuckDB-WASM with parquet-wasm instead of native DuckDB', () => {
    expect(missingCliPackages(resolverWith([...BASE, '@duckdb/duckdb-wasm', 'parquet-wasm']))).toEqual([]);
  });

  it('names every missing package, and native DuckDB when no engine is complete', () => {
    expect(missingCliPackages(resolverWith(['commander', '@duckdb/duckdb-wasm']))).toEqual([
      'jiti',
      'yaml',
      'apache-arrow',
      'lmdb',
      '@hono/node-server',
      '@duckdb/node-api',
    ]);
  });
});
