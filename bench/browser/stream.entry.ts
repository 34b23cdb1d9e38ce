/**
 * Page side of the stream bench in Chromium: the feature store in a Web Worker over
 * IndexedDB ingests events into a stream view and pushes the same events to a plain view,
 * then both are read; only numbers go back to Node. Timings are taken on the page, so
 * both paths include cloning the events to the worker.
 */
import { connectFeatureStore } from '../../src/runtime/worker/connect-feature-store.js';
import { ingestAndPushRates, PLAIN_FEATURES, STREAM_FEATURES, tripEvents } from '../stream-definitions.js';

const percentiles = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length * 0.5)], p99: sorted[Math.floor(sorted.length * 0.99)] };
};

async function benchStreamInWorker(events: number, drivers: number, batch: number, iterations: number) {
  const store = connectFeatureStore(new Worker('/workers/stream/feature-store.js', { type: 'module' }));
  await store.open({ registryDatabase: 'sb-registry', onlineDatabase: 'sb-online', offlineDatabase: 'sb-offline', sourceBaseUrl: `${location.origin}/data/` });
  await store.apply();
  const { ingest, push, ingested } = await ingestAndPushRates(store, tripEvents(events, drivers, Date.now()), batch);
  const reads = [];
  for (const entities of [1, 10, 100]) {
    const entityRows = Array.from({ length: entities }, (_, i) => ({ driver_id: 1 + ((i * 37) % drivers) }));
    const measure = async (features: string[]) => {
      const times: number[] = [];
      for (let i = 0; i < iterations + 20; i++) {
        const { lookupMs } = await store.getOnlineFeatures({ features, entityRows });
        if (i >= 20) times.push(lookupMs);
      }
      return percentiles(times);
    };
    reads.push({ entities, stream: await measure(STREAM_FEATURES), plain: await measure(PLAIN_FEATURES) });
  }
  await store.close();
  return { ingest, push, applied: ingested.applied, reads };
}

Object.assign(globalThis, { benchStreamInWorker });
