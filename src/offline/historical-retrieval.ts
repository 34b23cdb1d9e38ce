import type { Table } from 'apache-arrow';
import type { FeatureView, FileSource, OnDemandFeatureView } from '../definitions/index.js';
import type { RegistryDocument } from '../registry/document.js';
import type { HistoricalFeaturesRequest } from '../store/types.js';
import { describeColumns } from './describe.js';
import { registerEntityDf } from './entity-df.js';
import { buildPointInTimeSql, sourceColumn, type JoinInput } from './point-in-time-sql.js';
import { planRetrieval } from './retrieval-plan.js';
import type { SourceLoader } from './source-loader.js';
import { quoteIdent, type SqlEngine } from './sql-engine.js';
import { runOnDemand } from '../transform/run-on-demand.js';
import type { StreamViewCode } from '../stream/stream-events.js';
import { registerStreamEvents } from './stream-events-view.js';
import type { StreamSqlInput } from './stream-historical-sql.js';

/** Data given for a source at run time instead of its path. */
export type SourceData = Table | Uint8Array;

export interface HistoricalRetrievalContext {
  engine: SqlEngine;
  document: RegistryDocument;
  sources: SourceLoader;
  sourceData: ReadonlyMap<string, SourceData>;
  onDemandCode: ReadonlyMap<string, OnDemandFeatureView>;
  /** Loaded stream views, for their transforms. */
  streamCode?: ReadonlyMap<string, StreamViewCode>;
  strategy?: 'asof' | 'window';
}

let jobCounter = 0;

/**
 * Loads a file source as `view`: registered data first, else through the runtime's
 * loader. Parts appended to the source join it by column name. Returns the extra engine
 * views it registered, for the caller to unregister with `view`.
 */
export async function loadSource(
  engine: SqlEngine, sources: SourceLoader, sourceData: ReadonlyMap<string, SourceData>,
  source: FileSource, view: string, columns?: readonly string[],
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

/**
 * Point-in-time correct retrieval: resolves the request, puts the entity rows and the
 * sources into the engine, runs one SQL plan, then the on-demand transforms.
 */
export interface HistoricalResult {
  readonly table: Table;
  /** The request as `view:feature` references. */
  readonly featureRefs: readonly string[];
  /** Entity columns the joins matched on. */
  readonly joinKeys: readonly string[];
  /** The entity dataframe's event timestamp column. */
  readonly timestampColumn: string;
}

export async function retrieveHistorical(context: HistoricalRetrievalContext, request: HistoricalFeaturesRequest): Promise<HistoricalResult> {
  const { engine, document } = context;
  const plan = planRetrieval(document, request, context.onDemandCode);
  const job = ++jobCounter;
  const registered: string[] = [];
  const fileSources = Object.values(document.dataSources)
    .map((s) => s.spec).filter((s): s is FileSource => s.kind === 'fileSource');
  try {
    const entityView = `__entity_${job}`;
    registered.push(entityView);
    const entity = await registerEntityDf(engine, request.entityDf, entityView, {
      fileSources,
      loadSource: async (source, view) => {
        registered.push(view);
        registered.push(...await loadSource(engine, context.sources, context.sourceData, source, view));
      },
    });
    const bySource = new Map<string, JoinInput['join'][]>();
    for (const join of plan.joins) {
      const list = bySource.get(join.view.batchSource.name) ?? [];
      list.push(join);
      bySource.set(join.view.batchSource.name, list);
    }
    const joins: JoinInput[] = [];
    for (const [sourceName, sourceJoins] of bySource) {
      const view = `__src_${job}_${sourceName}`;
      registered.push(view);
      registered.push(...await loadSource(engine, context.sources, context.sourceData, sourceJoins[0].view.batchSource, view, neededColumns(sourceJoins)));
      const sourceTypes = await describeColumns(engine, { view });
      for (const join of sourceJoins) joins.push({ join, sourceView: view, sourceTypes });
    }
    const ordered = plan.joins.map((j) => joins.find((i) => i.join === j)!);
    const streams: StreamSqlInput[] = [];
    for (const [i, join] of plan.streams.entries()) {
      const events = await registerStreamEvents({ ...context, streamCode: context.streamCode ?? new Map() }, join, `__stream_${job}_${i}`);
      registered.push(...events.registered);
      streams.push(events.input);
    }
    const sql = buildPointInTimeSql({
      entityView, entityTypes: entity.types, timestampColumn: entity.timestampColumn, joins: ordered, streams,
      filterByCreatedTimestamp: request.filterByCreatedTimestamp, strategy: context.strategy,
    });
    const joined = runOnDemand(await engine.query(sql), plan.onDemand);
    const keep = joined.schema.fields.map((f) => f.name).filter((n) => !plan.hidden.includes(n));
    const joinKeys = [...new Set([...plan.joins, ...plan.streams].flatMap((j) => j.view.entityColumns.map((c) => j.joinKeyMap[c.name] ?? c.name)))];
    return { table: joined.select(keep), featureRefs: plan.featureRefs, joinKeys, timestampColumn: entity.timestampColumn };
  } finally {
    for (const view of registered) await engine.unregister(view).catch(() => undefined);
  }
}
