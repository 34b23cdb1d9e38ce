import type { Table, Vector } from 'apache-arrow';
import { Table as ArrowTable } from 'apache-arrow';
import type { FeatureView, FileSource } from '../../definitions/index.js';
import { timestampVector } from '../../arrow/arrow-from-rows.js';
import { vectorOfType } from '../../arrow/arrow-types.js';
import { describeColumns } from '../../sql/describe.js';
import { loadSource, type SourceData } from '../../sql/load-source.js';
import { sourceColumn } from '../../sql/source-columns.js';
import type { SourceLoader } from '../../sql/source-loader.js';
import { quoteIdent as q, type SqlEngine } from '../../sql/sql-engine.js';
import { entityColumns, type OnlineEntityRows } from '../../online/entity-rows.js';
import { InvalidOnlineWriteError } from '../../errors.js';
import { toOnlineBatch } from '../../online/online-write.js';

export interface OfflineWriteContext {
  engine: SqlEngine;
  sources: SourceLoader;
  sourceData: ReadonlyMap<string, SourceData>;
}

let counter = 0;

/** Rows of one view as Arrow columns named as the source names them (field mappings reversed). */
function sourceColumns(view: FeatureView, rows: OnlineEntityRows, allowExtraColumns: boolean): Map<string, Vector> {
  // The online writer's checks are the offline writer's too: same columns, same types, whole or nothing.
  const batch = toOnlineBatch(view, rows, { allowExtraColumns });
  const { columns } = entityColumns(rows);
  const source = view.batchSource;
  const out = new Map<string, Vector>();
  for (const key of view.entityColumns) out.set(sourceColumn(view, key.name), vectorOfType(columns[key.name], key.dtype, key.name));
  out.set(source.timestampField, timestampVector(BigInt64Array.from(batch.eventTimestamps)));
  if (source.createdTimestampColumn) {
    const created = batch.createdTimestamps ?? batch.keys.map(() => null);
    const validity = new Uint8Array(Math.ceil(created.length / 8));
    created.forEach((c, i) => {
      if (c !== null) validity[i >> 3] |= 1 << (i & 7);
    });
    out.set(
      source.createdTimestampColumn,
      timestampVector(
        BigInt64Array.from(created, (c) => c ?? 0n),
        validity,
      ),
    );
  }
  for (const feature of view.features)
    out.set(sourceColumn(view, feature.name), vectorOfType(batch.features[feature.name] as unknown[], feature.dtype, feature.name));
  return out;
}

/**
 * One Parquet part for `source` holding the rows written to some of its views: every
 * column of the source, in the source's own types (so the part and the source read as
 * one table), null where the rows do not carry a column. Views sharing a source and a
 * push share one part. Everything is checked before a byte is produced.
 */
export async function offlinePart(
  context: OfflineWriteContext,
  source: FileSource,
  writes: readonly { view: FeatureView; rows: OnlineEntityRows; allowExtraColumns?: boolean }[],
): Promise<Uint8Array> {
  const provided = new Map<string, Vector>();
  for (const { view, rows, allowExtraColumns } of writes) {
    for (const [name, vector] of sourceColumns(view, rows, allowExtraColumns ?? false)) if (!provided.has(name)) provided.set(name, vector);
  }
  const id = ++counter;
  const baseView = `__offline_base_${id}`;
  const rowsView = `__offline_rows_${id}`;
  const { engine } = context;
  const extra = await loadSource(engine, context.sources, context.sourceData, source, baseView);
  try {
    const baseTypes = await describeColumns(engine, { view: baseView });
    const unknown = [...provided.keys()].filter((name) => !baseTypes.has(name));
    if (unknown.length > 0) {
      throw new InvalidOnlineWriteError(
        `write to source '${source.name}': it has no columns ${unknown.map((c) => `'${c}'`).join(', ')}; it has ${[...baseTypes.keys()].join(', ')}`,
      );
    }
    await engine.registerArrow(rowsView, new ArrowTable(Object.fromEntries(provided)) as Table);
    const select = [...baseTypes].map(([name, type]) => `CAST(${provided.has(name) ? q(name) : 'NULL'} AS ${type}) AS ${q(name)}`);
    return await engine.export(`SELECT ${select.join(', ')} FROM ${q(rowsView)}`, 'parquet');
  } finally {
    for (const name of [rowsView, baseView, ...extra]) await engine.unregister(name);
  }
}
