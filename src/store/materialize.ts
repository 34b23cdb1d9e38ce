import type { Table } from 'apache-arrow';
import { FeastEdgeError } from '../definitions/errors.js';
import type { FeatureView, ValueType } from '../definitions/index.js';
import { plainValues, timestampMicros } from '../offline/arrow-types.js';
import { describeColumns } from '../offline/describe.js';
import { loadSource, neededColumns, type SourceData } from '../offline/historical-retrieval.js';
import { sourceColumn, timestampExpr } from '../offline/point-in-time-sql.js';
import type { SourceLoader } from '../offline/source-loader.js';
import { quoteIdent as q, type SqlEngine } from '../offline/sql-engine.js';
import { microsToIso, toEpochMicros } from '../offline/timestamp.js';
import { viewKeyEncoder } from '../online/entity-key.js';
import type { OnlineStore, OnlineWriteBatch } from '../online/online-store.js';
import { featureTypesOf } from './online-write.js';
import type { Registry } from '../registry/registry.js';

export interface MaterializeOptions {
  start: Date | string;
  end: Date | string;
  /** View names; default every view with online: true. */
  featureViews?: readonly string[];
  /** Called after each written batch. */
  onProgress?: (progress: { view: string; rowsDone: number; rowsTotal: number }) => void;
  /** Checked between batches: once aborted, no further batch is written and the view's interval is not recorded. */
  signal?: AbortSignal;
}

export interface MaterializeContext {
  engine: SqlEngine;
  registry: Registry;
  onlineStore: OnlineStore;
  sources: SourceLoader;
  sourceData: ReadonlyMap<string, SourceData>;
}

const BATCH_ROWS = 10_000;
let counter = 0;

/** Stops a run at a batch boundary, so every batch written is whole. */
function throwIfAborted(signal: AbortSignal | undefined, view: string): void {
  if (signal?.aborted) throw new FeastEdgeError('AbortError', `materialize: cancelled while materializing '${view}'; batches already written stay whole, its interval is not recorded`);
}

/** The latest row per entity key with start <= event time <= end; created time breaks ties (Feast's rule). */
export function latestPerKeySql(view: FeatureView, sourceView: string, types: ReadonlyMap<string, string>, start: bigint, end: bigint): string {
  const source = view.batchSource;
  const ts = timestampExpr(source.timestampField, types.get(source.timestampField));
  const created = source.createdTimestampColumn ? timestampExpr(source.createdTimestampColumn, types.get(source.createdTimestampColumn)) : 'CAST(NULL AS TIMESTAMP)';
  const keys = view.entityColumns.map((c) => `${q(sourceColumn(view, c.name))} AS ${q(c.name)}`);
  const features = view.features.map((f) => `${q(sourceColumn(view, f.name))} AS ${q(f.name)}`);
  const partition = view.entityColumns.length ? `PARTITION BY ${view.entityColumns.map((c) => q(c.name)).join(', ')} ` : '';
  return `SELECT ${[...keys, `${ts} AS "__ts"`, `${created} AS "__created"`, ...features].join(', ')} FROM ${q(sourceView)} ` +
    `WHERE ${ts} >= make_timestamp(${start}::BIGINT) AND ${ts} <= make_timestamp(${end}::BIGINT) ` +
    `QUALIFY row_number() OVER (${partition}ORDER BY "__ts" DESC, "__created" DESC NULLS LAST) = 1`;
}

/** Materializes views into the online store and records each interval in the registry. */
export async function materializeViews(context: MaterializeContext, options: MaterializeOptions): Promise<{ view: string; rows: number }[]> {
  const start = toEpochMicros(options.start, 'materialize start');
  const end = toEpochMicros(options.end, 'materialize end');
  if (start > end) throw new FeastEdgeError('InvalidMaterializationWindow', `materialize: start ${microsToIso(start)} is after end ${microsToIso(end)}`);
  const document = await context.registry.document();
  const all = Object.values(document.featureViews).map((s) => s.spec);
  let views: FeatureView[];
  if (options.featureViews) {
    views = options.featureViews.map((name) => {
      const view = all.find((v) => v.name === name);
      if (!view) throw new FeastEdgeError('FeatureViewNotFoundException', `materialize: feature view '${name}' is not in project '${document.project.name}'; valid: ${all.map((v) => v.name).join(', ')}`);
      if (!view.online) throw new FeastEdgeError('InvalidMaterializationRequest', `materialize: feature view '${name}' has online: false`);
      return view;
    });
  } else {
    views = all.filter((v) => v.online);
  }
  const summary: { view: string; rows: number }[] = [];
  for (const view of views) {
    throwIfAborted(options.signal, view.name);
    const rows = await materializeView(context, document.project.name, view, start, end, options.onProgress, options.signal);
    await context.registry.addMaterializationInterval(view.name, { start: microsToIso(start), end: microsToIso(end) });
    summary.push({ view: view.name, rows });
  }
  return summary;
}

/**
 * One view: DuckDB computes the latest row per key into a temporary table (it spills to
 * disk when it must), and the rows then stream to the store in batches, so memory holds
 * one batch whatever the source's size. Each batch is one store write, whole or nothing;
 * a run killed midway leaves whole rows, and a re-run writes the same rows again (an
 * equal (event, created) pair replaces), so it ends in the same state as one clean run.
 */
async function materializeView(context: MaterializeContext, project: string, view: FeatureView, start: bigint, end: bigint,
  onProgress: MaterializeOptions['onProgress'], signal?: AbortSignal): Promise<number> {
  const id = ++counter;
  const sourceView = `__mat_${id}`;
  const resultTable = `__mat_result_${id}`;
  const columns = neededColumns([{ view, columns: view.features.map((f) => ({ feature: f.name })) }]);
  const extraViews = await loadSource(context.engine, context.sources, context.sourceData, view.batchSource, sourceView, columns);
  try {
    const types = await describeColumns(context.engine, { view: sourceView });
    await context.engine.exec(`CREATE TEMP TABLE ${q(resultTable)} AS ${latestPerKeySql(view, sourceView, types, start, end)}`);
    const counted = await context.engine.query(`SELECT CAST(count(*) AS INTEGER) AS n FROM ${q(resultTable)}`);
    const rowsTotal = Number(counted.getChild('n')?.get(0) ?? 0);
    const encode = viewKeyEncoder(view);
    let rowsDone = 0;
    let pending: Table[] = [];
    let pendingRows = 0;
    const flush = async () => {
      if (pendingRows === 0) return;
      throwIfAborted(signal, view.name);
      const batch = pending.length === 1 ? pending[0] : pending[0].concat(...pending.slice(1));
      pending = [];
      pendingRows = 0;
      await context.onlineStore.write(project, toWriteBatch(view, batch, encode));
      rowsDone += batch.numRows;
      onProgress?.({ view: view.name, rowsDone, rowsTotal });
    };
    for await (const batch of resultBatches(context.engine, `SELECT * FROM ${q(resultTable)}`)) {
      pending.push(batch);
      pendingRows += batch.numRows;
      if (pendingRows >= BATCH_ROWS) await flush();
    }
    await flush();
    return rowsTotal;
  } finally {
    await context.engine.exec(`DROP TABLE IF EXISTS ${q(resultTable)}`);
    await context.engine.unregister(sourceView);
    for (const name of extraViews) await context.engine.unregister(name);
  }
}

/** Streams where the engine can; otherwise (DuckDB-WASM) pages through the table, whose scan keeps insertion order. */
async function* resultBatches(engine: SqlEngine, sql: string): AsyncIterable<Table> {
  if (engine.queryBatches) {
    yield* engine.queryBatches(sql);
    return;
  }
  for (let offset = 0; ; offset += BATCH_ROWS) {
    const page = await engine.query(`${sql} LIMIT ${BATCH_ROWS} OFFSET ${offset}`);
    if (page.numRows > 0) yield page;
    if (page.numRows < BATCH_ROWS) return;
  }
}

/**
 * A column as online stores take it. Timestamps inside lists come out of Arrow as epoch
 * milliseconds (only a whole timestamp column becomes Dates): made Dates here, as a
 * written row's are, so a list of timestamps reads back as Dates and typed stores
 * (Feast's layouts) get instants, not numbers.
 */
function onlineValues(values: unknown[], type: ValueType): unknown[] {
  if (type.kind !== 'Array' || type.of.kind !== 'UnixTimestamp') return values;
  return values.map((list) => (Array.isArray(list)
    ? list.map((item) => (typeof item === 'number' || typeof item === 'bigint' ? new Date(Number(item)) : item))
    : list));
}

/** One result batch as a columnar store write. */
function toWriteBatch(view: FeatureView, table: Table, encode: (values: readonly unknown[]) => Uint8Array): OnlineWriteBatch {
  const keyColumns = view.entityColumns.map((c) => plainValues(table.getChild(c.name)));
  const keys = new Array<Uint8Array>(table.numRows);
  const keyValues = new Array<unknown>(keyColumns.length);
  for (let r = 0; r < table.numRows; r++) {
    for (let k = 0; k < keyColumns.length; k++) keyValues[k] = keyColumns[k][r];
    keys[r] = encode(keyValues);
  }
  return {
    view: view.name,
    keys,
    eventTimestamps: timestampMicros(table.getChild('__ts')) as bigint[],
    createdTimestamps: timestampMicros(table.getChild('__created')),
    features: Object.fromEntries(view.features.map((f) => [f.name, onlineValues(plainValues(table.getChild(f.name)), f.dtype)])),
    featureTypes: featureTypesOf(view),
  };
}

export interface MaterializeIncrementalOptions {
  end: Date | string;
  featureViews?: readonly string[];
  onProgress?: MaterializeOptions['onProgress'];
  signal?: AbortSignal;
}

const YEAR_MICROS = 365n * 86_400_000_000n;

/**
 * Materializes each view from the end of its last interval to `end`; a view never
 * materialized starts at end - ttl, or a year back when its ttl is 0.
 */
export async function materializeIncrementalViews(context: MaterializeContext, options: MaterializeIncrementalOptions): Promise<{ view: string; rows: number }[]> {
  const end = toEpochMicros(options.end, 'materialize-incremental end');
  const document = await context.registry.document();
  const names = options.featureViews ?? Object.values(document.featureViews).filter((v) => v.spec.online).map((v) => v.spec.name);
  const summary: { view: string; rows: number }[] = [];
  for (const name of names) {
    const stored = document.featureViews[name];
    const ends = (stored?.materializationIntervals ?? []).map((i) => toEpochMicros(i.end, 'interval end'));
    const ttl = BigInt(Math.round((stored?.spec.ttlSeconds ?? 0) * 1e6));
    const start = ends.length > 0 ? ends.reduce((a, b) => (a > b ? a : b)) : end - (ttl > 0n ? ttl : YEAR_MICROS);
    summary.push(...await materializeViews(context, { start: microsToIso(start), end: microsToIso(end), featureViews: [name], onProgress: options.onProgress, signal: options.signal }));
  }
  return summary;
}
