import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '..', '..', 'src');
const NODE_ONLY = ['runtime/node/', 'cli/'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const portable = files(SRC)
  .map((f) => relative(SRC, f))
  .filter((f) => !NODE_ONLY.some((prefix) => f.startsWith(prefix)));
const code = (file: string) => readFileSync(join(SRC, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');

describe('the portable core (DESIGN.md section 2)', () => {
  it('has files to check', () => expect(portable.length).toBeGreaterThan(20));

  it('imports no Node built-in and uses no process or Buffer', () => {
    const offenders = portable.filter((f) => /from\s+['"](node:|fs['"]|path['"]|os['"]|crypto['"])|require\(|\bprocess\.|\bBuffer\b/.test(code(f)));
    expect(offenders).toEqual([]);
  });

  it('keeps DuckDB and Arrow out of the definitions and registry (the online path imports these)', () => {
    const online = portable.filter((f) => /^(definitions|registry|online|server)\//.test(f));
    const offenders = online.filter((f) => /from\s+['"](@duckdb\/|apache-arrow)/.test(code(f)));
    expect(offenders).toEqual([]);
  });

  it('imports DuckDB nowhere outside the Node runtime (the WASM adapter takes an instantiated database)', () => {
    // The browser runtime's one file that opens a DuckDB-WASM build (it lived in worker/ before the runtime folders).
    const wiring = ['runtime/browser/browser-engine.ts'];
    expect(portable.filter((f) => !wiring.includes(f) && /from\s+['"]@duckdb\//.test(code(f)))).toEqual([]);
  });
});
