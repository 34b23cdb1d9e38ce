import { join, resolve } from 'node:path';
import { build } from 'vite';
import { ensureExampleRepo } from './example-data.js';

const DEMO = resolve(import.meta.dirname, '..');
export const DEMO_DIST = join(DEMO, 'dist');
export const DEMO_EXAMPLE_REPO = join(DEMO, 'example-repo');

/**
 * Builds the demo app into `outDir` (default demo/dist). The example repo it ships
 * (demo/example-repo, not committed) is made first with `feast-edge init`'s own code, or
 * refreshed when its data is from an earlier hour (demo/build/example-data.ts), so its
 * sample data is exactly what the CLI generates, relative to now.
 */
export async function buildDemo(options: { outDir?: string } = {}): Promise<string> {
  await ensureExampleRepo(DEMO_EXAMPLE_REPO);
  const outDir = resolve(options.outDir ?? DEMO_DIST);
  await build({ configFile: join(DEMO, 'vite.config.ts'), mode: 'production', build: { outDir, emptyOutDir: true } });
  return outDir;
}
