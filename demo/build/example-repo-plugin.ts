import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { EXAMPLE_REPO_URL_PATH } from '../app/example-repo.js';
import { exampleDataEnd } from './example-data.js';

/** The example repo's files the app reads at run time, by their path under the repo. (Not definitions.ts: the app bundles it, and a .ts under demo/ would join the typecheck.) */
export const EXAMPLE_REPO_FILES = ['data/driver_stats.parquet', 'data/customer_profile.parquet', 'data/entity_df.csv', 'feature_store.yaml'] as const;

/**
 * Copies the example repo's sample data (made by `feast-edge init`, demo/build/build-demo.ts)
 * into the build under /example-repo/, so the app's relative source paths resolve and the
 * Service Worker can precache them; and tells the app when that data ends
 * (`__EXAMPLE_DATA_END__`), since `init` generates it relative to the time it ran.
 */
export function exampleRepoFiles(repoDir: string): Plugin {
  return {
    name: 'feast-edge-demo:example-repo',
    async config() {
      return { define: { __EXAMPLE_DATA_END__: JSON.stringify((await exampleDataEnd(repoDir)) ?? null) } };
    },
    generateBundle() {
      for (const file of EXAMPLE_REPO_FILES) {
        const path = join(repoDir, file);
        if (!existsSync(path)) this.error(`${path} is missing: make the example repo first (npm run build:demo runs \`feast-edge init\` into ${repoDir})`);
        this.emitFile({ type: 'asset', fileName: `${EXAMPLE_REPO_URL_PATH.slice(1)}${file}`, source: readFileSync(path) });
      }
    },
  };
}
