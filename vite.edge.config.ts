import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { bundledRegistry } from './build/bundled-registry-plugin.js';
import { onlineOnly } from './build/online-only-plugin.js';

/**
 * The edge build: targets/cloudflare-worker.ts as one ES module (dist-edge/edge.js) for Cloudflare
 * Workers (workerd), everything bundled. The feature repo it serves is chosen here:
 *   FEAST_EDGE_DEFINITIONS=path/to/definitions.ts npm run build:edge
 * (a module exporting the repo's Feast objects; default the test fixture repo), or
 *   FEAST_EDGE_REGISTRY=path/to/registry.db npm run build:edge
 * (Feast's registry, converted to feast-edge's document here, at build time, so the
 * Worker holds no protobuf code; FEAST_EDGE_PROJECT picks one of several projects;
 * FEAST_EDGE_DEFINITIONS may then add transform code). That build also writes
 * dist-edge/registry.json, the document the Worker serves.
 * Offline work is swapped for a stub, so no Arrow, DuckDB or Parquet code is bundled;
 * a module that reaches for them or for a Node built-in fails the build, naming it.
 */
const root = dirname(fileURLToPath(import.meta.url));
const at = (path: string) => resolve(root, path);
const chosenPath = (value: string | undefined) => {
  const chosen = value?.trim();
  if (!chosen) return undefined;
  return isAbsolute(chosen) ? chosen : resolve(process.cwd(), chosen);
};

/** The definitions module; an empty one when only a registry is given. */
export function definitionsModule(env: Record<string, string | undefined> = process.env): string {
  return chosenPath(env.FEAST_EDGE_DEFINITIONS) ?? at(registryFile(env) ? 'targets/no-definitions.ts' : 'test/server/fixture-definitions.ts');
}

/** The registry the Worker serves as it is (FEAST_EDGE_REGISTRY): Feast's registry.db or a feast-edge registry.json. */
export function registryFile(env: Record<string, string | undefined> = process.env): string | undefined {
  return chosenPath(env.FEAST_EDGE_REGISTRY);
}

export default defineConfig({
  root,
  logLevel: 'warn',
  plugins: [onlineOnly('the edge bundle'), bundledRegistry({ path: registryFile(), project: process.env.FEAST_EDGE_PROJECT?.trim() || undefined })],
  resolve: {
    // Packages resolve as in a Worker (msgpackr takes its pure-JS build, not Node's extractor).
    conditions: ['workerd', 'worker', 'browser', 'import', 'module', 'default'],
    alias: [
      { find: /^feast-edge-definitions$/, replacement: definitionsModule() },
      // A repo written for `feast-edge init` imports 'feast-edge'.
      { find: /^feast-edge$/, replacement: at('src/index.ts') },
    ],
  },
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: {
    outDir: 'dist-edge',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    sourcemap: false,
    copyPublicDir: false,
    lib: { entry: at('targets/cloudflare-worker.ts'), formats: ['es'], fileName: () => 'edge.js' },
    rolldownOptions: {
      output: { codeSplitting: false, minify: true },
      // The core's barrel names the IndexedDB store; idb's top-level setup would otherwise
      // be kept though nothing at the edge uses it (workerd has no IndexedDB).
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]node_modules[\\/]idb[\\/]/.test(id) },
    },
  },
});
