/**
 * The page's side of the Web Worker feature store: a typed comlink proxy of
 * FeatureStoreWorkerApi. A `{ onProgress, signal }` argument crosses through a transfer
 * handler (the callback is proxied, the signal becomes a port), and Arrow results arrive
 * as transferred buffers.
 */
import { wrap, type Remote } from 'comlink';
import { registerLongWorkTransfer } from './long-work-transfer.js';
import type { FeatureStoreWorkerApi } from './feature-store-api.js';

/**
 * Connects to a worker that runs `hostFeatureStore` (targets/feature-store.worker.ts, or an app's own).
 * @example
 * const store = connectFeatureStore(new Worker(new URL('./feature-store.worker.ts', import.meta.url), { type: 'module' }));
 * await store.open();
 * await store.apply();
 * const result = await store.getHistoricalFeatures({ entityDf: { file }, featureService: 'driver_activity' },
 *   { onProgress: (p) => console.log(p.step, p.done), signal: controller.signal });
 * const table = tableFromIPC(result.ipc);
 */
export function connectFeatureStore(worker: Worker | MessagePort): Remote<FeatureStoreWorkerApi> {
  registerLongWorkTransfer();
  return wrap<FeatureStoreWorkerApi>(worker);
}
