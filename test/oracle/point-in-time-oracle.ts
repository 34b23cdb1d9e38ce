/**
 * A brute-force point-in-time join written from Feast's documented semantics, with no
 * SQL: nested loops over plain rows. It is the independent expectation the SQL is
 * checked against. Timestamps are bigint microseconds (UTC).
 */

export interface OracleSourceRow { [column: string]: unknown }

export interface OracleView {
  /** Output prefix with full feature names (alias or view name). */
  name: string;
  /** View join keys, in order, and the entity column each matches (join-key map applied). */
  keys: { viewKey: string; entityColumn: string }[];
  features: string[];
  ttlMicros: bigint;
  rows: OracleSourceRow[];
  /** Names in `rows` (after any field mapping has been reversed by the caller). */
  timestampColumn: string;
  createdColumn?: string;
}

export interface OracleOptions {
  fullFeatureNames: boolean;
  filterByCreatedTimestamp?: boolean;
  entityTimestampColumn?: string;
}

/** Every acceptable value of each output cell: a set when candidates tie exactly. */
export type OracleRow = Record<string, unknown[]>;

const isNull = (v: unknown) => v === null || v === undefined;

function sameKey(a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return false;
  return String(a) === String(b);
}

export function pointInTimeOracle(entityRows: Record<string, unknown>[], views: OracleView[], options: OracleOptions): OracleRow[] {
  const tsColumn = options.entityTimestampColumn ?? 'event_timestamp';
  return entityRows.map((entity) => {
    const out: OracleRow = {};
    for (const [k, v] of Object.entries(entity)) out[k] = [v];
    const entityTs = entity[tsColumn] as bigint | null;
    for (const view of views) {
      let best: OracleSourceRow[] = [];
      let bestTs: bigint | undefined;
      let bestCreated: bigint | undefined;
      for (const row of view.rows) {
        if (entityTs === null || entityTs === undefined) break;
        if (!view.keys.every((k) => sameKey(row[k.viewKey], entity[k.entityColumn]))) continue;
        const ts = row[view.timestampColumn] as bigint | null;
        if (ts === null || ts === undefined) continue;
        if (ts > entityTs) continue;
        if (view.ttlMicros > 0n && ts < entityTs - view.ttlMicros) continue;
        const created = view.createdColumn ? (row[view.createdColumn] as bigint | null) : null;
        if (options.filterByCreatedTimestamp && view.createdColumn) {
          if (created === null || created === undefined || created > entityTs) continue;
        }
        // Null created sorts lowest, as "NULLS LAST" in a descending order puts it last.
        const createdKey = created ?? -(2n ** 62n);
        if (bestTs === undefined || ts > bestTs || (ts === bestTs && createdKey > (bestCreated as bigint))) {
          best = [row]; bestTs = ts; bestCreated = createdKey;
        } else if (ts === bestTs && createdKey === bestCreated) {
          best.push(row);
        }
      }
      for (const feature of view.features) {
        const column = options.fullFeatureNames ? `${view.name}__${feature}` : feature;
        out[column] = best.length === 0 ? [null] : [...new Set(best.map((r) => r[feature] ?? null))];
      }
    }
    return out;
  });
}
