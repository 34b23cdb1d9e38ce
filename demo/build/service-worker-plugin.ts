import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { build, type Plugin, type ResolvedConfig } from 'vite';
import { onlineOnly } from '../../build/online-only-plugin.js';

export const SERVICE_WORKER_FILE = 'service-worker.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * After the app is built, bundles demo/app/service-worker.ts into `/service-worker.js`: one
 * classic script (a Service Worker may not `import()`), online-only, with the list of every
 * built file to precache and a cache name that changes whenever any of them does (so a new
 * build replaces the old cache instead of serving it forever).
 */
export function demoServiceWorker(options: { entry: string; alias: Readonly<Record<string, string>> }): Plugin {
  let config: ResolvedConfig;
  let failed = false;
  return {
    name: 'feast-edge-demo:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    buildEnd(error) {
      failed = error !== undefined;
    },
    async closeBundle() {
      // Called after a failed build too; the app's error is the one to show.
      if (failed) return;
      const outDir = resolve(config.root, config.build.outDir);
      const files = filesUnder(outDir)
        .filter((path) => !path.endsWith('.map') && relative(outDir, path) !== SERVICE_WORKER_FILE)
        .sort();
      const hash = createHash('sha256');
      for (const path of files) hash.update(relative(outDir, path)).update(readFileSync(path));
      // '/' too: it is the URL the browser navigates to, and the cache matches by URL.
      const precache = ['/', ...files.map((path) => `/${relative(outDir, path).split(sep).join('/')}`)];
      await build({
        configFile: false,
        root: config.root,
        logLevel: 'warn',
        publicDir: false,
        plugins: [onlineOnly('the Service Worker')],
        resolve: { alias: { ...options.alias }, conditions: ['worker', 'browser', 'import', 'module', 'default'] },
        define: {
          'process.env.NODE_ENV': '"production"',
          __DEMO_PRECACHE__: JSON.stringify(precache),
          __DEMO_CACHE_NAME__: JSON.stringify(`feast-edge-demo-${hash.digest('hex').slice(0, 12)}`),
        },
        build: {
          outDir,
          emptyOutDir: false,
          minify: true,
          target: 'es2022',
          reportCompressedSize: false,
          copyPublicDir: false,
          lib: { entry: options.entry, formats: ['iife'], name: 'demoServiceWorker', fileName: () => SERVICE_WORKER_FILE },
        },
      });
    },
  };
}
