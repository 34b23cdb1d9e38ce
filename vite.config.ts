import { builtinModules } from 'node:module';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}),
  ...Object.keys(pkg.peerDependencies ?? {}),
];

/** Library build: one ESM file per package entry, dependencies left as imports. */
export default defineConfig({
  build: {
    target: 'node20',
    outDir: 'dist',
    emptyOutDir: true,
    minify: false,
    sourcemap: true,
    lib: {
      entry: {
        index: 'src/index.ts',
        server: 'src/server/index.ts',
        offline: 'src/offline/index.ts',
        feast: 'src/feast/index.ts',
        node: 'src/runtime/node/index.ts',
        browser: 'src/runtime/browser/index.ts',
        worker: 'src/runtime/worker/index.ts',
        'worker-host': 'src/runtime/worker/host-feature-store.ts',
        cloudflare: 'src/runtime/cloudflare/index.ts',
        deno: 'src/runtime/deno/index.ts',
        'service-worker': 'src/runtime/service-worker/index.ts',
        'cli/main': 'src/cli/main.ts',
        // The Deno half of online_store type deno_kv, run by the deno binary (src/runtime/node/deno-kv-node-store.ts).
        'deno-kv-writer': 'targets/deno-kv-writer.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
    },
  },
  plugins: [
    {
      // The shebang survives bundling; the bin also needs the executable bit.
      name: 'cli-executable',
      writeBundle(options) {
        chmodSync(join(options.dir ?? 'dist', 'cli', 'main.js'), 0o755);
      },
    },
  ],
});
