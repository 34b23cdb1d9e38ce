import type { Table } from 'apache-arrow';
import type { FeatureView, FileSource } from '../definitions/index.js';
import type { SourceLoader } from './source-loader.js';
import { sourceColumn } from './source-columns.js';
import { quoteIdent, type SqlEngine } from './sql-engine.js';

/** Data given for a source at run time instead of its path. */
export type SourceData = Table | Uint8Array;

/**
 * Loads a file source as `view`: registered data first, else through the runtime's
 * loader. Parts appended to the source join it by column name. Returns the extra engine
 * views it registered, for the caller to unregister with `view`.
 */
export async function loadSource(
  engine: SqlEngine,
  sources: SourceLoader,
  sourceData: ReadonlyMap<string, SourceData>,
  source: FileSource,
  view: string,
  columns?: readonly string[],
): Promise<string[]> {
  const loadBase = async (name: string) => {
    const data = sourceData.get(source.name);
    if (data instanceof Uint8Array) await engine.registerBytes(name, data, source.format, columns);
    else if (data) await engine.registerArrow(name, data);
    else await sources.load(engine, name, source, columns);
  };
  const parts = (await sources.parts?.(source)) ?? [];
  if (parts.length === 0) {
    await loadBase(view);
    return [];
  }
  const names = [`${view}__base`, ...parts.map((_, i) => `${view}__part${i}`)];
  await loadBase(names[0]);
  for (const [i, part] of parts.entries()) {
    if ('path' in part) await engine.registerFile(names[i + 1], part.path, 'parquet', columns);
    else await engine.registerBytes(names[i + 1], part.bytes, 'parquet', columns);
  }
  const select = columns ? columns.map((c) => quoteIdent(c)).join(', ') : '*';
  await engine.registerQuery(view, names.map((n) => `SELECT ${select} FROM ${quoteIdent(n)}`).join(' UNION ALL BY NAME '));
  return names;
}

/** Source columns a set of joins reads from one source (after reversing field mappings). */
export function neededColumns(joins: readonly { view: FeatureView; columns: readonly { feature: string }[] }[]): string[] {
  const columns = new Set<string>();
  for (const { view, columns: wanted } of joins) {
    const source = view.batchSource;
    columns.add(source.timestampField);
    if (source.createdTimestampColumn) columns.add(source.createdTimestampColumn);
    for (const key of view.entityColumns) columns.add(sourceColumn(view, key.name));
    for (const c of wanted) columns.add(sourceColumn(view, c.feature));
  }
  return [...columns];
}
