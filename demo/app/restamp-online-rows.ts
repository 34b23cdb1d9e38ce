import type { RegistryDocument } from '../../src/registry/document.js';
import { featureStore } from './store-client.js';

/**
 * Writes the online rows of `entityRows` again with the current time as their event time,
 * values unchanged (writeToOnlineStore). The example repo's data is from April 2021 and
 * its views' ttl (1 and 2 days) is enforced at read time, so materialized rows read as
 * OUTSIDE_MAX_AGE today; re-stamped, the same values read as PRESENT, in the worker and
 * through the Service Worker alike. Returns the rows written per view.
 */
export async function restampOnlineRows(
  doc: RegistryDocument,
  viewNames: readonly string[],
  entityRows: readonly Record<string, unknown>[],
): Promise<Record<string, number>> {
  const now = new Date().toISOString();
  const written: Record<string, number> = {};
  for (const name of viewNames) {
    const view = doc.featureViews[name]?.spec;
    if (!view) continue;
    const { response } = await featureStore.getOnlineFeatures({ features: view.features.map((f) => `${name}:${f.name}`), entityRows });
    const columns = new Map(response.metadata.feature_names.map((n, i) => [n, response.results[i]]));
    const found = entityRows.map((_, row) => row).filter((row) => view.features.some((f) => columns.get(f.name)!.statuses[row] !== 'NOT_FOUND'));
    const rows = found.map((row) => ({
      ...Object.fromEntries(view.entityColumns.map((key) => [key.name, columns.get(key.name)!.values[row]])),
      ...Object.fromEntries(view.features.map((f) => [f.name, columns.get(f.name)!.values[row]])),
      [view.batchSource.timestampField]: now,
    }));
    if (rows.length > 0) written[name] = (await featureStore.writeToOnlineStore(name, rows)).written;
  }
  return written;
}
