import { microsToIso } from '../definitions/timestamp.js';
import type { SavedDataset } from '../registry/document.js';
import type { Registry } from '../registry/registry.js';
import type { HistoricalResult, OfflineStore } from '../offline/offline-store.js';
import type { HistoricalFeaturesRequest } from '../retrieval/types.js';

/** Saves a training set's rows through the offline store and records it in the registry (Feast's saved dataset). */
export async function persistDataset(
  store: { registry: Registry; offlineStore: OfflineStore },
  name: string,
  result: HistoricalResult,
  request: HistoricalFeaturesRequest,
  options: { tags?: Record<string, string>; allowOverwrite?: boolean },
): Promise<SavedDataset> {
  const stored = await store.offlineStore.saveDataset(name, result);
  const service = request.featureService;
  const dataset: SavedDataset = {
    kind: 'savedDataset',
    name,
    features: [...result.featureRefs],
    joinKeys: [...result.joinKeys],
    fullFeatureNames: request.fullFeatureNames ?? false,
    ...(service ? { featureServiceName: typeof service === 'string' ? service : service.name } : {}),
    storage: { format: 'parquet', path: stored.path },
    rowCount: stored.rowCount,
    ...(stored.minEventTimestamp !== undefined ? { minEventTimestamp: microsToIso(stored.minEventTimestamp) } : {}),
    ...(stored.maxEventTimestamp !== undefined ? { maxEventTimestamp: microsToIso(stored.maxEventTimestamp) } : {}),
    ...(options.tags ? { tags: { ...options.tags } } : {}),
  };
  await store.registry.saveDataset(dataset, { allowOverwrite: options.allowOverwrite ?? false });
  return dataset;
}
