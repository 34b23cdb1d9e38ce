import { builtinModules } from 'node:module';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };

const external = [
  ...builtinModules, ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}),
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
        offline: 'src/offline/index.ts',
        node: 'src/runtime/node/index.ts',
        server: 'src/server/index.ts',
        worker: 'worker/index.ts',
        'worker-host': 'worker/host-feature-store.ts',
        'cli/main': 'src/cli/main.ts',
      },
      formats: ['es'],
    },
    rollupOptions: {
      external: (id) => external.some((e) => id === e || id.startsWith(`${e}/`)),
    },
  },
  plugins: [{
    // The shebang survives bundling; the bin also needs the executable bit.
    name: 'cli-executable',
    writeBundle(options) { chmodSync(join(options.dir ?? 'dist', 'cli', 'main.js'), 0o755); },
  }],
});
