import type { OpenResult } from '../../src/runtime/worker/feature-store-api.js';

/** The words every panel uses for the online store in this browser (the Web Worker's): IndexedDB, or a Feast online_store.db kept in OPFS or IndexedDB. */
export function browserStoreLabel(opened: OpenResult | undefined): string {
  if (opened?.onlineStore.type === 'feast-sqlite')
    return `Feast's online_store.db in this browser (kept in ${opened.onlineStore.keptIn === 'opfs' ? 'OPFS' : 'IndexedDB'})`;
  return "this browser's IndexedDB";
}
