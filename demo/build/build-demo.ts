import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { initRepo } from '../../src/cli/init/init-repo.js';

const DEMO = resolve(import.meta.dirname, '..');
export const DEMO_DIST = join(DEMO, 'dist');
export const DEMO_EXAMPLE_REPO = join(DEMO, 'example-repo');

/**
 * Builds the demo app into `outDir` (default demo/dist). The example repo it ships
 * (demo/example-repo, not committed) is made first with `feast-edge init`'s own code when
 * it is missing, so its sample data is exactly what the CLI generates.
 */
export async function buildDemo(options: { outDir?: string } = {}): Promise<string> {
  if (!existsSync(join(DEMO_EXAMPLE_REPO, 'feature_store.yaml'))) await initRepo(DEMO_EXAMPLE_REPO);
  const outDir = resolve(options.outDir ?? DEMO_DIST);
  await build({ configFile: join(DEMO, 'vite.config.ts'), mode: 'production', build: { outDir, emptyOutDir: true } });
  return outDir;
}
