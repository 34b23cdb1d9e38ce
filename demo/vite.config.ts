import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { exampleRepoFiles } from './build/example-repo-plugin.js';
import { demoServiceWorker } from './build/service-worker-plugin.js';

/**
 * The demo app: `vite build -c demo/vite.config.ts` (or `npm run build:demo`, which first
 * makes the example repo) writes demo/dist. The example repo's definitions are the feature
 * repo the page's Web Worker and the Service Worker both load.
 */
const demo = import.meta.dirname;
const repo = resolve(demo, '..');
export const EXAMPLE_REPO_DIR = resolve(demo, 'example-repo');

const alias = {
  'feast-edge-definitions': resolve(EXAMPLE_REPO_DIR, 'definitions.ts'),
  // The example repo is written for users and imports the package by name.
  'feast-edge': resolve(repo, 'src/index.ts'),
};

export default defineConfig(({ command }) => ({
  root: demo,
  base: '/',
  publicDir: resolve(demo, 'public'),
  logLevel: 'warn',
  resolve: { alias: Object.entries(alias).map(([name, target]) => ({ find: new RegExp(`^${name}$`), replacement: target })) },
  // The Service Worker exists only in a build (import.meta.env.PROD is false when the build runs under vitest).
  define: { 'process.env.NODE_ENV': '"production"', __DEMO_HAS_SERVICE_WORKER__: JSON.stringify(command === 'build') },
  // ES module workers: the feature store's worker loads its offline half with import().
  // Identifiers are not mangled there: the registry compares each on-demand transform's
  // source with the loaded code's, and a registry applied by the CLI has the source as written.
  worker: { format: 'es', rolldownOptions: { output: { minify: { mangle: false, compress: true, codegen: { removeWhitespace: true } } } } },
  build: {
    outDir: resolve(demo, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
  },
  plugins: [exampleRepoFiles(EXAMPLE_REPO_DIR), demoServiceWorker({ entry: resolve(demo, 'app/service-worker.ts'), alias })],
}));
