import type { OnlineWireResponse } from '../../src/online/online-response.js';
import type { RegistryDocument } from '../../src/registry/document.js';

/** An online store the page reads and writes: this browser's (the Web Worker) or the server's (Feast's HTTP API). */
export interface OnlineTarget {
  /** The words for it in every panel ("this browser's IndexedDB", "the server at http://..."). */
  readonly label: string;
  read(features: readonly string[], entityRows: readonly Record<string, unknown>[]): Promise<OnlineWireResponse>;
  write(view: string, rows: readonly Record<string, unknown>[]): Promise<number>;
}

/**
 * Writes the online rows of `entityRows` again with the current time as their event time,
 * values unchanged (Feast's write-to-online-store), in `target`. Rows older than their
 * view's ttl read OUTSIDE_MAX_AGE; re-stamped, the same values read as PRESENT, in that
 * store only. Returns the rows written per view.
 */
export async function restampOnlineRows(
  doc: RegistryDocument,
  viewNames: readonly string[],
  entityRows: readonly Record<string, unknown>[],
  target: OnlineTarget,
): Promise<Record<string, number>> {
  const now = new Date().toISOString();
  const written: Record<string, number> = {};
  for (const name of viewNames) {
    const view = doc.featureViews[name]?.spec;
    if (!view) continue;
    const response = await target.read(
      view.features.map((f) => `${name}:${f.name}`),
      entityRows,
    );
    const columns = new Map(response.metadata.feature_names.map((n, i) => [n, response.results[i]]));
    const found = entityRows.map((_, row) => row).filter((row) => view.features.some((f) => columns.get(f.name)!.statuses[row] !== 'NOT_FOUND'));
    const rows = found.map((row) => ({
      ...Object.fromEntries(view.entityColumns.map((key) => [key.name, columns.get(key.name)!.values[row]])),
      ...Object.fromEntries(view.features.map((f) => [f.name, columns.get(f.name)!.values[row]])),
      [view.batchSource.timestampField]: now,
    }));
    if (rows.length > 0) written[name] = await target.write(name, rows);
  }
  return written;
}

/** Rows as Feast's column-major body: one array per column. */
export function toColumns(rows: readonly Record<string, unknown>[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const key of Object.keys(rows[0] ?? {})) out[key] = rows.map((r) => r[key]);
  return out;
}
