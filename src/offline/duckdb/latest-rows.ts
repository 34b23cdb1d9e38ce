import { DataType, Precision, type Data, type Table, type Vector } from 'apache-arrow';
import type { FeatureView, ValueType } from '../../definitions/index.js';
import { plainValues } from '../../arrow/arrow-types.js';
import { columnValues, createdAt, type FeatureColumn, type NumberColumn, type TimestampColumn } from '../../online/online-store.js';
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
 * The same rows in two steps that hold little in memory: `winners` is the newest (event,
 * created) pair per key (an aggregate over the keys and times only: tens of bytes a key),
 * and `rows` streams the source joined to it (the source is the join's probe side, so no
 * whole row is ever held). A window over whole rows (latestPerKeySql) keeps every row of
 * the source in memory or on disk first: 1.5 GB at 3M rows of 50 features.
 * Rows equal in key, event and created time all match; the store keeps one (equal pairs replace).
 */
export function latestPerKeyPlan(
  view: FeatureView,
  sourceView: string,
  types: ReadonlyMap<string, string>,
  start: bigint,
  end: bigint,
  winnersTable: string,
): { winners: string; rows: string } {
  const source = view.batchSource;
  const ts = timestampExpr(source.timestampField, types.get(source.timestampField));
  const created = source.createdTimestampColumn ? timestampExpr(source.createdTimestampColumn, types.get(source.createdTimestampColumn)) : undefined;
  const keys = view.entityColumns.map((c) => q(sourceColumn(view, c.name)));
  const window = `${ts} >= make_timestamp(${start}::BIGINT) AND ${ts} <= make_timestamp(${end}::BIGINT)`;
  // A struct's maximum orders by its members in turn; a null created time is the oldest, so
  // it is kept out of the struct (nulls inside would sort as the largest).
  const newest = created ? `max({'t': ${ts}, 'h': ${created} IS NOT NULL, 'c': coalesce(${created}, TIMESTAMP '1970-01-01')})` : `max({'t': ${ts}})`;
  const keyList = keys.map((key, k) => `${key} AS ${q(`__k${k}`)}`);
  const winners =
    `CREATE TEMP TABLE ${q(winnersTable)} AS SELECT ${[...keyList, `${newest} AS "__w"`].join(', ')} FROM ${q(sourceView)} WHERE ${window}` +
    `${keys.length ? ` GROUP BY ${keys.join(', ')}` : ''} HAVING count(*) > 0`;
  // The winners' columns are named apart from any source column, so source columns need no qualifier.
  const match = [
    ...view.entityColumns.map((_, k) => `${keys[k]} IS NOT DISTINCT FROM w.${q(`__k${k}`)}`),
    `${ts} = w."__w".t`,
    ...(created ? [`${created} IS NOT DISTINCT FROM (CASE WHEN w."__w".h THEN w."__w".c END)`] : []),
  ];
  const select = [
    ...view.entityColumns.map((c, k) => `${keys[k]} AS ${q(c.name)}`),
    `w."__w".t AS "__ts"`,
    created ? `CASE WHEN w."__w".h THEN w."__w".c END AS "__created"` : 'CAST(NULL AS TIMESTAMP) AS "__created"',
    ...view.features.map((f) => `${q(sourceColumn(view, f.name))} AS ${q(f.name)}`),
  ];
  return { winners, rows: `SELECT ${select.join(', ')} FROM ${q(sourceView)} JOIN ${q(winnersTable)} w ON ${match.join(' AND ')}` };
}

/**
 * DuckDB finds the newest (event, created) pair per key into a small temporary table,
 * then the rows stream out of a join of the source to it, in batches, so memory holds the
 * keys' times and one batch whatever the source's size. The temporary table and source
 * views are dropped when the batches are done with, read to the end or not.
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
  const winnersTable = `__mat_winners_${id}`;
  const resultTable = `__mat_result_${id}`;
  const columns = neededColumns([{ view, columns: view.features.map((f) => ({ feature: f.name })) }]);
  const extraViews = await loadSource(engine, reading.sources, reading.sourceData, view.batchSource, sourceView, columns);
  const release = async () => {
    await engine.exec(`DROP TABLE IF EXISTS ${q(winnersTable)}`);
    await engine.exec(`DROP TABLE IF EXISTS ${q(resultTable)}`);
    await engine.unregister(sourceView);
    for (const name of extraViews) await engine.unregister(name);
  };
  let rowCount: number;
  let rowsSql: string;
  try {
    const types = await describeColumns(engine, { view: sourceView });
    const plan = latestPerKeyPlan(view, sourceView, types, start, end, winnersTable);
    rowsSql = plan.rows;
    await engine.exec(plan.winners);
    const counted = await engine.query(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${q(winnersTable)}`);
    rowCount = Number(counted.getChild('n')?.get(0) ?? 0);
    // An engine that cannot stream (DuckDB-WASM) pages through a table, whose scan keeps
    // its order from page to page (a join's output order would not).
    if (!engine.queryBatches) {
      await engine.exec(`CREATE TEMP TABLE ${q(resultTable)} AS ${rowsSql}`);
      rowsSql = `SELECT * FROM ${q(resultTable)}`;
    }
  } catch (error) {
    await release();
    throw error;
  }
  async function* batches(): AsyncIterable<LatestRowsBatch> {
    try {
      if (rowCount === 0) return;
      let pending: Table[] = [];
      let pendingRows = 0;
      for await (const batch of resultBatches(engine, rowsSql, batchRows)) {
        pending.push(batch);
        pendingRows += batch.numRows;
        while (pendingRows >= batchRows) {
          const table = concat(pending);
          yield toLatestRowsBatch(view, table.slice(0, batchRows));
          pending = table.numRows > batchRows ? [table.slice(batchRows)] : [];
          pendingRows -= batchRows;
        }
      }
      if (pendingRows > 0) yield toLatestRowsBatch(view, concat(pending));
    } finally {
      await release();
    }
  }
  return { rowCount, batches: batches() };
}

function concat(tables: readonly Table[]): Table {
  return tables.length === 1 ? tables[0] : tables[0].concat(...tables.slice(1));
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

const NUMBER_ARRAYS = [Float64Array, Float32Array, Int32Array] as const;

/** Where `data` (a chunk) has a null at i; Arrow's bitmap is not sliced with the values, so its bits start at data.offset. */
function clearNulls(data: Data, valid: Uint8Array, at: number): void {
  for (let i = 0; i < data.length; i++) {
    if (!data.getValid(i)) valid[(at + i) >> 3] &= ~(1 << ((at + i) & 7));
  }
}

/** A number column from the batch's buffers (one chunk: no copy), or undefined for any other column. */
function numberColumn(vector: Vector | null): NumberColumn | undefined {
  if (!vector || vector.data.length === 0) return undefined;
  const type = vector.type;
  if (!((DataType.isFloat(type) && type.precision !== Precision.HALF) || (DataType.isInt(type) && type.bitWidth === 32 && type.isSigned))) return undefined;
  const first = vector.data[0].values;
  const Kind = NUMBER_ARRAYS.find((k) => first instanceof k);
  if (!Kind) return undefined;
  // arrow-js slices a chunk's values with it, so values[0] is the chunk's first row.
  const numbers = vector.data.length === 1 ? (first as InstanceType<typeof Kind>).subarray(0, vector.length) : new Kind(vector.length);
  let valid: Uint8Array | undefined;
  let at = 0;
  for (const data of vector.data) {
    if (vector.data.length > 1) numbers.set(data.values.subarray(0, data.length) as never, at);
    if (data.nullCount > 0) clearNulls(data, (valid ??= new Uint8Array(Math.ceil(vector.length / 8)).fill(0xff)), at);
    at += data.length;
  }
  return valid ? { numbers, valid } : { numbers };
}

/** A timestamp column's microseconds and validity, copied out of its buffers. */
function timestampColumn(vector: Vector | null, rows: number): TimestampColumn {
  const micros = new BigInt64Array(rows);
  let valid: Uint8Array | undefined;
  let offset = 0;
  for (const data of vector?.data ?? []) {
    const values = data.values as unknown as BigInt64Array;
    if (values instanceof BigInt64Array) micros.set(values.subarray(0, data.length), offset);
    else for (let i = 0; i < data.length; i++) micros[offset + i] = BigInt(values[i]);
    if (data.nullCount > 0) clearNulls(data, (valid ??= new Uint8Array(Math.ceil(rows / 8)).fill(0xff)), offset);
    offset += data.length;
  }
  return valid ? { micros, valid } : { micros };
}

/** A batch as read: typed columns, with plain-value views built only if asked for. */
class ColumnarLatestRows implements LatestRowsBatch {
  #features?: Record<string, readonly unknown[]>;
  #created?: (bigint | null)[];
  constructor(
    readonly rows: number,
    readonly joinKeys: readonly (readonly unknown[])[],
    readonly eventTimestamps: BigInt64Array,
    readonly createdColumn: TimestampColumn | undefined,
    readonly featureColumns: Readonly<Record<string, FeatureColumn>>,
  ) {}

  get features(): Readonly<Record<string, readonly unknown[]>> {
    this.#features ??= Object.fromEntries(Object.entries(this.featureColumns).map(([name, column]) => [name, columnValues(column)]));
    return this.#features;
  }

  get createdTimestamps(): readonly (bigint | null)[] {
    this.#created ??= Array.from({ length: this.rows }, (_, i) => createdAt(this.createdColumn, i));
    return this.#created;
  }
}

function toLatestRowsBatch(view: FeatureView, table: Table): LatestRowsBatch {
  const features: Record<string, FeatureColumn> = {};
  for (const f of view.features) {
    const vector = table.getChild(f.name);
    features[f.name] = numberColumn(vector) ?? onlineValues(plainValues(vector), f.dtype);
  }
  const created = view.batchSource.createdTimestampColumn ? timestampColumn(table.getChild('__created'), table.numRows) : undefined;
  return new ColumnarLatestRows(
    table.numRows,
    view.entityColumns.map((c) => plainValues(table.getChild(c.name))),
    timestampColumn(table.getChild('__ts'), table.numRows).micros,
    created,
    features,
  );
}
