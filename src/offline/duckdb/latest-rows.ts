import type { Table } from 'apache-arrow';
import type { FeatureView, ValueType } from '../../definitions/index.js';
import { plainValues, timestampMicros } from '../../arrow/arrow-types.js';
import { describeColumns } from '../../sql/describe.js';
import { loadSource, neededColumns } from '../../sql/load-source.js';
import { sourceColumn, timestampExpr } from '../../sql/source-columns.js';
import { quoteIdent as q, type SqlEngine } from '../../sql/sql-engine.js';
import type { LatestRows, LatestRowsBatch } from '../offline-store.js';
import type { SourceReading } from './source-reading.js';

const DEFAULT_BATCH_ROWS = 10_000;
let counter = 0;

/** The latest row per entity key with start <= event time <= end; created time breaks ties (Feast's rule). */
export function latestPerKeySql(view: FeatureView, sourceView: string, types: ReadonlyMap<string, string>, start: bigint, end: bigint): string {
  const source = view.batchSource;
  const ts = timestampExpr(source.timestampField, types.get(source.timestampField));
  const created = source.createdTimestampColumn
    ? timestampExpr(source.createdTimestampColumn, types.get(source.createdTimestampColumn))
    : 'CAST(NULL AS TIMESTAMP)';
  const keys = view.entityColumns.map((c) => `${q(sourceColumn(view, c.name))} AS ${q(c.name)}`);
  const features = view.features.map((f) => `${q(sourceColumn(view, f.name))} AS ${q(f.name)}`);
  const partition = view.entityColumns.length ? `PARTITION BY ${view.entityColumns.map((c) => q(c.name)).join(', ')} ` : '';
  return (
    `SELECT ${[...keys, `${ts} AS "__ts"`, `${created} AS "__created"`, ...features].join(', ')} FROM ${q(sourceView)} ` +
    `WHERE ${ts} >= make_timestamp(${start}::BIGINT) AND ${ts} <= make_timestamp(${end}::BIGINT) ` +
    `QUALIFY row_number() OVER (${partition}ORDER BY "__ts" DESC, "__created" DESC NULLS LAST) = 1`
  );
}

/**
 * DuckDB computes the latest row per key into a temporary table (it spills to disk when
 * it must), and the rows then stream out in batches, so memory holds one batch whatever
 * the source's size. The temporary table and source views are dropped when the batches
 * are done with, read to the end or not.
 */
export async function pullLatestRows(
  reading: SourceReading,
  view: FeatureView,
  start: bigint,
  end: bigint,
  batchRows = DEFAULT_BATCH_ROWS,
): Promise<LatestRows> {
  const engine = await reading.engine();
  const id = ++counter;
  const sourceView = `__mat_${id}`;
  const resultTable = `__mat_result_${id}`;
  const columns = neededColumns([{ view, columns: view.features.map((f) => ({ feature: f.name })) }]);
  const extraViews = await loadSource(engine, reading.sources, reading.sourceData, view.batchSource, sourceView, columns);
  const release = async () => {
    await engine.exec(`DROP TABLE IF EXISTS ${q(resultTable)}`);
    await engine.unregister(sourceView);
    for (const name of extraViews) await engine.unregister(name);
  };
  let rowCount: number;
  try {
    const types = await describeColumns(engine, { view: sourceView });
    await engine.exec(`CREATE TEMP TABLE ${q(resultTable)} AS ${latestPerKeySql(view, sourceView, types, start, end)}`);
    const counted = await engine.query(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${q(resultTable)}`);
    rowCount = Number(counted.getChild('n')?.get(0) ?? 0);
  } catch (error) {
    await release();
    throw error;
  }
  async function* batches(): AsyncIterable<LatestRowsBatch> {
    try {
      let pending: Table[] = [];
      let pendingRows = 0;
      for await (const batch of resultBatches(engine, `SELECT * FROM ${q(resultTable)}`, batchRows)) {
        pending.push(batch);
        pendingRows += batch.numRows;
        if (pendingRows >= batchRows) {
          yield toLatestRowsBatch(view, pending);
          pending = [];
          pendingRows = 0;
        }
      }
      if (pendingRows > 0) yield toLatestRowsBatch(view, pending);
    } finally {
      await release();
    }
  }
  return { rowCount, batches: batches() };
}

/** Streams where the engine can; otherwise (DuckDB-WASM) pages through the table, whose scan keeps insertion order. */
async function* resultBatches(engine: SqlEngine, sql: string, batchRows: number): AsyncIterable<Table> {
  if (engine.queryBatches) {
    yield* engine.queryBatches(sql);
    return;
  }
  for (let offset = 0; ; offset += batchRows) {
    const page = await engine.query(`${sql} LIMIT ${batchRows} OFFSET ${offset}`);
    if (page.numRows > 0) yield page;
    if (page.numRows < batchRows) return;
  }
}

/**
 * A column as online stores take it. Timestamps inside lists come out of Arrow as epoch
 * milliseconds (only a whole timestamp column becomes Dates): made Dates here, as a
 * written row's are, so a list of timestamps reads back as Dates and typed stores
 * (Feast's layouts) get instants, not numbers.
 */
function onlineValues(values: unknown[], type: ValueType): unknown[] {
  // A Map held as JSON text (feast-edge's own offline writes) is written online as the object it spells.
  if (type.kind === 'Map') return values.map((v) => (typeof v === 'string' ? JSON.parse(v) : v));
  if (type.kind !== 'Array' || type.of.kind !== 'UnixTimestamp') return values;
  return values.map((list) =>
    Array.isArray(list) ? list.map((item) => (typeof item === 'number' || typeof item === 'bigint' ? new Date(Number(item)) : item)) : list,
  );
}

function toLatestRowsBatch(view: FeatureView, tables: readonly Table[]): LatestRowsBatch {
  const table = tables.length === 1 ? tables[0] : tables[0].concat(...tables.slice(1));
  return {
    rows: table.numRows,
    joinKeys: view.entityColumns.map((c) => plainValues(table.getChild(c.name))),
    eventTimestamps: timestampMicros(table.getChild('__ts')) as bigint[],
    createdTimestamps: timestampMicros(table.getChild('__created')),
    features: Object.fromEntries(view.features.map((f) => [f.name, onlineValues(plainValues(table.getChild(f.name)), f.dtype)])),
  };
}
