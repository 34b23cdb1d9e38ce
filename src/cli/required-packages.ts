/** Packages every CLI command may load (repos, the yaml, DuckDB's Arrow results, LMDB, the HTTP server). */
export const CLI_PACKAGES = ['commander', 'jiti', 'yaml', 'apache-arrow', 'lmdb', '@hono/node-server'] as const;
/** One DuckDB build is enough: native is the default, WASM (with parquet-wasm) the fallback. */
export const CLI_ENGINES = [['@duckdb/node-api'], ['@duckdb/duckdb-wasm', 'parquet-wasm']] as const;

/** The packages to install for the CLI, given a resolver that throws for a missing package. */
export function missingCliPackages(resolve: (name: string) => unknown): string[] {
  const installed = (name: string) => {
    try {
      resolve(name);
      return true;
    } catch {
      return false;
    }
  };
  const missing: string[] = CLI_PACKAGES.filter((name) => !installed(name));
  if (!CLI_ENGINES.some((engine) => engine.every(installed))) missing.push(...CLI_ENGINES[0]);
  return missing;
}
