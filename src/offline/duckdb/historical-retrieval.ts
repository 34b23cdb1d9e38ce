import type { FileSource, OnDemandFeatureView } from '../../definitions/index.js';
import type { RegistryDocument } from '../../registry/document.js';
import type { HistoricalFeaturesRequest } from '../../retrieval/types.js';
import type { HistoricalResult } from '../offline-store.js';
import { describeColumns } from '../../sql/describe.js';
import { registerEntityDf } from './entity-df.js';
import { buildPointInTimeSql, type JoinInput, type PointInTimeSqlInput } from './point-in-time-sql.js';
import { partitionCount, type PartitionOption, type SizedView } from './partition-count.js';
import { runPartitionedJoin } from './partitioned-join.js';
import { loadSource, neededColumns, type SourceData } from '../../sql/load-source.js';
import { planRetrieval } from '../../retrieval/retrieval-plan.js';
import type { SourceLoader } from '../../sql/source-loader.js';
import type { SqlEngine } from '../../sql/sql-engine.js';
import { runOnDemand } from '../../transform/run-on-demand.js';
import { mapColumnsAsJsonText } from '../../arrow/arrow-types.js';
import type { StreamViewCode } from '../../stream/stream-events.js';
import { registerStreamEvents } from '../../stream/historical/stream-events-view.js';
import type { StreamSqlInput } from '../../stream/historical/stream-historical-sql.js';

export interface HistoricalRetrievalContext {
  engine: SqlEngine;
  document: RegistryDocument;
  sources: SourceLoader;
  sourceData: ReadonlyMap<string, SourceData>;
  onDemandCode: ReadonlyMap<string, OnDemandFeatureView>;
  /** Loaded stream views, for their transforms. */
  streamCode?: ReadonlyMap<string, StreamViewCode>;
  strategy?: 'asof' | 'window';
  /** Hash partitions of the join (partition-count.ts); default 'auto'. */
  partitions?: PartitionOption;
}

let jobCounter = 0;

/**
 * Point-in-time correct retrieval: resolves the request, puts the entity rows and the
 * sources into the engine, runs one SQL plan, then the on-demand transforms.
 */
export async function retrieveHistorical(context: HistoricalRetrievalContext, request: HistoricalFeaturesRequest): Promise<HistoricalResult> {
  const { engine, document } = context;
  const plan = planRetrieval(document, request, context.onDemandCode);
  const job = ++jobCounter;
  const registered: string[] = [];
  const fileSources = Object.values(document.dataSources)
    .map((s) => s.spec)
    .filter((s): s is FileSource => s.kind === 'fileSource');
  try {
    const entityView = `__entity_${job}`;
    registered.push(entityView);
    const entity = await registerEntityDf(engine, request.entityDf, entityView, {
      fileSources,
      loadSource: async (source, view) => {
        registered.push(view);
        registered.push(...(await loadSource(engine, context.sources, context.sourceData, source, view)));
      },
    });
    const bySource = new Map<string, JoinInput['join'][]>();
    for (const join of plan.joins) {
      const list = bySource.get(join.view.batchSource.name) ?? [];
      list.push(join);
      bySource.set(join.view.batchSource.name, list);
    }
    const joins: JoinInput[] = [];
    const sized: SizedView[] = [];
    for (const [sourceName, sourceJoins] of bySource) {
      const view = `__src_${job}_${sourceName}`;
      registered.push(view);
      registered.push(...(await loadSource(engine, context.sources, context.sourceData, sourceJoins[0].view.batchSource, view, neededColumns(sourceJoins))));
      const sourceTypes = await describeColumns(engine, { view });
      for (const join of sourceJoins) joins.push({ join, sourceView: view, sourceTypes });
      sized.push({ view, types: sourceTypes, reads: sourceJoins.length });
    }
    const ordered = plan.joins.map((j) => joins.find((i) => i.join === j)!);
    const streams: StreamSqlInput[] = [];
    for (const [i, join] of plan.streams.entries()) {
      const events = await registerStreamEvents({ ...context, streamCode: context.streamCode ?? new Map() }, join, `__stream_${job}_${i}`);
      registered.push(...events.registered);
      streams.push(events.input);
    }
    const input: PointInTimeSqlInput = {
      entityView,
      entityTypes: entity.types,
      timestampColumn: entity.timestampColumn,
      joins: ordered,
      streams,
      filterByCreatedTimestamp: request.filterByCreatedTimestamp,
      strategy: context.strategy,
    };
    const partitions = await partitionCount(engine, context.partitions ?? 'auto', { view: entityView, types: entity.types, reads: 1 }, sized);
    const table =
      partitions > 1 ? await runPartitionedJoin({ ...input, engine, prefix: `__part_${job}`, partitions }) : await engine.query(buildPointInTimeSql(input));
    // Map features read from struct columns (as Feast writes them) become JSON text before transforms see them.
    const mapped = mapColumnsAsJsonText(
      table,
      plan.joins.flatMap((j) =>
        j.columns.map((c) => ({ output: c.output, dtype: j.view.features.find((f) => f.name === c.feature)?.dtype ?? { kind: 'String' } })),
      ),
    );
    const joined = runOnDemand(mapped, plan.onDemand);
    const keep = joined.schema.fields.map((f) => f.name).filter((n) => !plan.hidden.includes(n));
    const joinKeys = [...new Set([...plan.joins, ...plan.streams].flatMap((j) => j.view.entityColumns.map((c) => j.joinKeyMap[c.name] ?? c.name)))];
    return { table: joined.select(keep), featureRefs: plan.featureRefs, joinKeys, timestampColumn: entity.timestampColumn, partitions };
  } finally {
    for (const view of registered) await engine.unregister(view).catch(() => undefined);
  }
}
