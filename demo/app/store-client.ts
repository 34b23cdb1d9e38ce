import type { OpenOptions, OpenResult } from '../../src/runtime/worker/feature-store-api.js';
import { connectFeatureStore } from '../../src/runtime/worker/connect-feature-store.js';
import { EXAMPLE_REPO_URL_PATH } from './example-repo.js';

/** The feature store in the app's Web Worker: every page talks to this one proxy. */
export const featureStore: ReturnType<typeof connectFeatureStore> = connectFeatureStore(
  new Worker(new URL('./feature-store.worker.ts', import.meta.url), { type: 'module', name: 'feature-store' }),
);

/** What the page serves, kept across reloads: a user's project (absent: the example repo) and the online store. */
export interface LoadedRepo {
  readonly project?: string;
  readonly onlineStore: 'indexeddb' | 'feast-sqlite';
}

const LOADED_KEY = 'feast-edge-demo:loaded-repo';
/** Where the sources of a loaded repo resolve when no file was picked for them: nothing is there, so a read names the source instead of reading the example's file of the same name. */
const LOADED_SOURCES_URL_PATH = '/your-repo/';

/** What a user loaded ("Load your own repo"); the example repo over IndexedDB when nothing was. */
export function loadedRepo(): LoadedRepo {
  try {
    const value = JSON.parse(localStorage.getItem(LOADED_KEY) ?? 'null') as Partial<LoadedRepo> | null;
    return {
      ...(typeof value?.project === 'string' ? { project: value.project } : {}),
      onlineStore: value?.onlineStore === 'feast-sqlite' ? 'feast-sqlite' : 'indexeddb',
    };
  } catch {
    return { onlineStore: 'indexeddb' };
  }
}

function keep(repo: LoadedRepo): void {
  localStorage.setItem(LOADED_KEY, JSON.stringify(repo));
}

/** Whether the registry is a user's rather than the example repo's definitions. */
export function usesImportedRegistry(): boolean {
  return loadedRepo().project !== undefined;
}

/** A loaded repo's sources are the files its user picks; the example's resolve under its URL. */
function openOptions(repo: LoadedRepo): OpenOptions {
  return {
    ...(repo.project !== undefined
      ? { project: repo.project, sourceBaseUrl: new URL(LOADED_SOURCES_URL_PATH, location.href).href }
      : { sourceBaseUrl: new URL(EXAMPLE_REPO_URL_PATH, location.href).href }),
    ...(repo.onlineStore === 'feast-sqlite' ? { onlineStore: { type: 'feast-sqlite' } } : {}),
  };
}

let opened: Promise<OpenResult> | undefined;
let latest: OpenResult | undefined;

/** Tells the page (main.ts) which project and online store now serve. */
function announce(result: OpenResult): OpenResult {
  latest = result;
  window.dispatchEvent(new CustomEvent<OpenResult>('feast-store-opened', { detail: result }));
  return result;
}

/** What serves now: the last open or import, once the store is ready. */
export function servedNow(): OpenResult | undefined {
  return latest;
}

/**
 * Opens the store once per page: the example repo (its definitions applied, relative
 * source paths under its URL), or the repo a user loaded (its project, its online store).
 */
export function storeReady(): Promise<OpenResult> {
  opened ??= (async () => {
    const repo = loadedRepo();
    const result = await featureStore.open(openOptions(repo));
    if (repo.project === undefined) await featureStore.apply();
    return announce(result);
  })();
  // A failed open is tried again when a page next asks.
  opened.catch(() => {
    opened = undefined;
  });
  return opened;
}

/** Records what a registry import opened (the worker switches to the registry's project itself). */
export function registryImported(result: OpenResult): void {
  keep({ project: result.project, onlineStore: result.onlineStore.type });
  opened = Promise.resolve(announce(result));
}

/** Serves Feast's online_store.db (kept by the worker in OPFS or IndexedDB) for the project now served. */
export async function useFeastOnlineStore(file: File): Promise<OpenResult> {
  await storeReady();
  const repo: LoadedRepo = { ...loadedRepo(), onlineStore: 'feast-sqlite' };
  const result = await featureStore.open({ ...openOptions(repo), onlineStore: { type: 'feast-sqlite', file } });
  keep(repo);
  opened = Promise.resolve(announce(result));
  return result;
}

/**
 * "Back to the example repo": forgets the loaded repo and the files kept for its sources,
 * then serves the example as on a first visit (restoreDefinitions: no registry imported
 * over it, nothing materialized, no files kept). The page reloads afterwards.
 */
export async function restoreExampleRepo(): Promise<void> {
  // The files kept for the repo served now (loaded or example) go with it.
  if (
    await storeReady().then(
      () => true,
      () => false,
    )
  )
    await featureStore.forgetSources();
  localStorage.removeItem(LOADED_KEY);
  const result = await featureStore.open(openOptions(loadedRepo()));
  await featureStore.restoreDefinitions();
  opened = Promise.resolve(announce(result));
}
