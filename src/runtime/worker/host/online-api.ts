import { throwIfAborted } from '../../browser/abort.js';
import type { FeatureStoreWorkerApi } from '../feature-store-api.js';
import type { HostContext } from './context.js';

/** Online reads and writes: lookups, push, direct writes and stream ingest. */
export function onlineApi({ current, engineJob }: HostContext): Pick<FeatureStoreWorkerApi, 'getOnlineFeatures' | 'push' | 'writeToOnlineStore' | 'ingest'> {
  return {
    async getOnlineFeatures(request) {
      const started = performance.now();
      const response = await current().store.getOnlineFeatures({ ...request, entityRows: request.entityRows as Record<string, unknown>[] });
      return { response: response.toWire(), lookupMs: performance.now() - started };
    },

    // Offline writes encode Parquet with the engine: they wait their turn like every engine job.
    // Only an explicit 'online' skips the engine: with no `to`, a push to a stream view's source also lands offline.
    push: (pushSourceName, rows, pushOptions = {}) =>
      pushOptions.to === 'online'
        ? current().store.push(pushSourceName, rows as Record<string, unknown>[], pushOptions)
        : engineJob('push', undefined, false, (o) => o.store.push(pushSourceName, rows as Record<string, unknown>[], pushOptions)),

    writeToOnlineStore: (viewName, rows) => current().store.writeToOnlineStore(viewName, rows as Record<string, unknown>[]),

    ingest: (viewName, events, ingestOptions = {}, work) =>
      engineJob(`ingest ${viewName}`, work, false, (o) => {
        const signal = work?.signal;
        throwIfAborted(signal, `ingest ${viewName}`);
        // The events as an array: the store checks them all before writing the first batch.
        // A cancel stops between batches (after each one's progress).
        return o.store.ingest(viewName, events as Record<string, unknown>[], {
          batchSize: ingestOptions.batchSize ?? 10_000,
          onProgress: (r) => {
            work?.onProgress?.({ step: `ingest ${viewName}`, done: r.events, total: events.length });
            if (r.events < events.length) throwIfAborted(signal, `ingest ${viewName}`);
          },
        });
      }),
  };
}
