import type { OpenResult } from '../../src/runtime/worker/feature-store-api.js';
import { connectFeatureStore } from '../../src/runtime/worker/connect-feature-store.js';
import { EXAMPLE_REPO_URL_PATH } from './example-repo.js';

/** The feature store in the app's Web Worker: every page talks to this one proxy. */
export const featureStore: ReturnType<typeof connectFeatureStore> = connectFeatureStore(
  new Worker(new URL('./feature-store.worker.ts', import.meta.url), { type: 'module', name: 'feature-store' }),
);

const IMPORTED_KEY = 'feast-edge-demo:imported-registry';

/** Whether the registry is a user's registry.json rather than the example repo's definitions. */
export function usesImportedRegistry(): boolean {
  return localStorage.getItem(IMPORTED_KEY) === 'yes';
}

export function markImportedRegistry(imported: boolean): void {
  if (imported) localStorage.setItem(IMPORTED_KEY, 'yes');
  else localStorage.removeItem(IMPORTED_KEY);
}

let opened: Promise<OpenResult> | undefined;

/**
 * Opens the store once per page: relative source paths resolve under the example repo's
 * URL; the example definitions are applied unless the user imported a registry of their own.
 */
export function storeReady(): Promise<OpenResult> {
  opened ??= (async () => {
    const result = await featureStore.open({ sourceBaseUrl: new URL(EXAMPLE_REPO_URL_PATH, location.href).href });
    if (!usesImportedRegistry()) await featureStore.apply();
    return result;
  })();
  // A failed open is tried again when a page next asks.
  opened.catch(() => {
    opened = undefined;
  });
  return opened;
}
