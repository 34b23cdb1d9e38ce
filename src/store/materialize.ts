import { FeastEdgeError } from '../definitions/errors.js';
import type { FeatureView } from '../definitions/index.js';
import { plainValues, timestampMicros } from '../offline/arrow-types.js';
import { describeColumns } from '../offline/describe.js';
import { loadSource, neededColumns, type SourceData } from '../offline/historical-retrieval.js';
import { sourceColumn, timestampExpr } from '../offline/point-in-time-sql.js';
import type { SourceLoader } from '../offline/source-loader.js';
import { quoteIdent as q, type SqlEngine } from '../offline/sql-engine.js';
import { microsToIso, toEpochMicros } from '../offline/timestamp.js';
import { viewKeyEncoder } from '../online/entity-key.js';
import type { OnlineStore } from '../online/online-store.js';
import type { Registry } from '../registry/registry.js';

export interface MaterializeOptions {
  start: Date | string;
  end: Date | string;
  /** View names; default every view with online: true. */
  featureViews?: readonly string[];
  /** Called after each written batch. */
  onProgress?: (progress: { view: string; rowsDone: number; rowsTotal: number }) => void;
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
    const sourceView = `__mat_${++counter}`;
    const columns = neededColumns([{ view, columns: view.features.map((f) => ({ feature: f.name })) }]);
    await loadSource(context.engine, context.sources, context.sourceData, view.batchSource, sourceView, columns);
    try {
      const types = await describeColumns(context.engine, { view: sourceView });
      const table = await context.engine.query(latestPerKeySql(view, sourceView, types, start, end));
      const keyValues = view.entityColumns.map((c) => plainValues(table.getChild(c.name)));
      const eventTimestamps = timestampMicros(table.getChild('__ts')) as bigint[];
      const createdTimestamps = timestampMicros(table.getChild('__created'));
      const featureValues = Object.fromEntries(view.features.map((f) => [f.name, plainValues(table.getChild(f.name))]));
      const encode = viewKeyEncoder(view);
      for (let offset = 0; offset < table.numRows; offset += BATCH_ROWS) {
        const rows = Math.min(BATCH_ROWS, table.numRows - offset);
        const keys = Array.from({ length: rows }, (_, r) => encode(keyValues.map((column) => column[offset + r])));
        await context.onlineStore.write(document.project.name, {
          view: view.name, keys,
          eventTimestamps: eventTimestamps.slice(offset, offset + rows),
          createdTimestamps: createdTimestamps.slice(offset, offset + rows),
          features: Object.fromEntries(Object.entries(featureValues).map(([n, v]) => [n, v.slice(offset, offset + rows)])),
        });
        options.onProgress?.({ view: view.name, rowsDone: offset + rows, rowsTotal: table.numRows });
      }
      await context.registry.addMaterializationInterval(view.name, { start: microsToIso(start), end: microsToIso(end) });
      summary.push({ view: view.name, rows: table.numRows });
    } finally {
      await context.engine.unregister(sourceView);
    }
  }
  return summary;
}

export interface MaterializeIncrementalOptions {
  end: Date | string;
  featureViews?: readonly string[];
  onProgress?: MaterializeOptions['onProgress'];
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
    summary.push(...await materializeViews(context, { start: microsToIso(start), end: microsToIso(end), featureViews: [name], onProgress: options.onProgress }));
  }
  return summary;
}
