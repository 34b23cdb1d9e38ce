import { entity, featureView, field, fileSource, Float64, Int64, type FeastObject } from '../src/definitions/index.js';
import type { SourceLoader } from '../src/sql/source-loader.js';
import type { SqlEngine } from '../src/sql/sql-engine.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { createFeatureStore } from '../src/store/feature-store.js';
import type { HistoricalData } from './historical-data.js';
import { fmtMs, measure, ratio, type Measurement } from './measure.js';
import { createDuckDbOfflineStore } from '../src/offline/duckdb/duckdb-offline-store.js';

/** Reads bench files by absolute path, as the Node runtime's loader does for repo files. */
const fileLoader: SourceLoader = {
  load: (engine, view, source, columns) => engine.registerFile(view, source.path, source.format, columns),
};

interface Row {
  scenario: string;
  engine: string;
  feastEdge?: Measurement;
  baseline?: Measurement;
  naive?: Measurement;
  rows: number;
  /** Hash partitions the join ran in (1: one statement). */
  partitions?: number;
  /** The hand-written query's time on one hash partition's rows (loaded beforehand), times the partition count. */
  onePartition?: Measurement;
  errors: { feastEdge?: string; baseline?: string; naive?: string; onePartition?: string };
}

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });

function scenarioA(data: HistoricalData): { objects: FeastObject[]; features: string[] } {
  const views = data.viewsA.map((path, i) =>
    featureView({
      name: `stats_a${i + 1}`,
      entities: [driver],
      ttl: '1d',
      source: fileSource({ name: `src_a${i + 1}`, path, timestampField: 'event_timestamp', createdTimestampColumn: 'created' }),
      schema: [field('f1', Float64), field('f2', Float64), field('f3', Int64)],
    }),
  );
  return { objects: [driver, ...views], features: views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`)) };
}

function scenarioB(data: HistoricalData): { objects: FeastObject[]; features: string[] } {
  const views = data.viewsB.map((path, v) =>
    featureView({
      name: `wide_b${v}`,
      entities: [driver],
      ttl: '7d',
      source: fileSource({ name: `src_b${v}`, path, timestampField: 'event_timestamp' }),
      schema: Array.from({ length: data.sizes.featuresB }, (_, f) => field(`v${v}_f${f}`, Float64)),
    }),
  );
  return { objects: [driver, ...views], features: views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`)) };
}

/**
 * The hand-written query a DuckDB user would write for the same answer: dedup on
 * (key, ts) by created when there is a created column, ASOF per view, ttl as a CASE.
 * `naive` skips the tie-break (fastest possible ASOF, not always correct).
 */
function handWrittenSql(views: { view: string; features: string[]; ttlDays: number; created: boolean }[], naive: boolean): string {
  const ctes = views.map(
    (v, i) =>
      `v${i} AS (SELECT * FROM "${v.view}"${
        v.created && !naive ? ' QUALIFY row_number() OVER (PARTITION BY driver_id, event_timestamp ORDER BY created DESC NULLS LAST) = 1' : ''
      })`,
  );
  const cols = views.flatMap((v, i) =>
    v.features.map((f) => `CASE WHEN v${i}.event_timestamp >= e.event_timestamp - INTERVAL ${v.ttlDays} DAY THEN v${i}."${f}" END AS "${f}_${i}"`),
  );
  const joins = views.map((_, i) => `ASOF LEFT JOIN v${i} ON e.driver_id = v${i}.driver_id AND e.event_timestamp >= v${i}.event_timestamp`);
  return `WITH ${ctes.join(', ')} SELECT e.driver_id, e.event_timestamp, ${cols.join(', ')} FROM "ent" e ${joins.join(' ')}`;
}

async function runBaseline(
  engine: SqlEngine,
  entityPath: string,
  views: { path: string; view: string; features: string[]; ttlDays: number; created: boolean }[],
  naive: boolean,
): Promise<number> {
  await engine.registerFile('ent', entityPath, 'parquet');
  for (const v of views) {
    await engine.registerFile(v.view, v.path, 'parquet', ['driver_id', 'event_timestamp', ...(v.created ? ['created'] : []), ...v.features]);
  }
  try {
    return (await engine.query(handWrittenSql(views, naive))).numRows;
  } finally {
    for (const name of ['ent', ...views.map((v) => v.view)]) await engine.unregister(name);
  }
}

/**
 * A floor for a partitioned run on one engine: the hand-written query over one hash
 * partition's rows (the files read and filtered before the clock starts), times the
 * number of partitions. No loading, no row-number merge: what the passes alone cost at best.
 */
async function onePartitionBaseline(
  engine: SqlEngine,
  entityPath: string,
  views: { path: string; view: string; features: string[]; ttlDays: number; created: boolean }[],
  partitions: number,
  runs: number,
): Promise<Measurement> {
  const names: string[] = [];
  const load = async (name: string, path: string, columns?: string[]) => {
    await engine.registerFile(`${name}_all`, path, 'parquet', columns);
    await engine.registerQuery(name, `SELECT * FROM "${name}_all" WHERE hash(driver_id) % ${partitions} = 0`);
    names.push(name, `${name}_all`);
  };
  try {
    await load('ent', entityPath);
    for (const v of views) await load(v.view, v.path, ['driver_id', 'event_timestamp', ...(v.created ? ['created'] : []), ...v.features]);
    const m = await measure(() => engine.query(handWrittenSql(views, false)), { runs });
    return { ...m, medianMs: m.medianMs * partitions, runsMs: m.runsMs.map((t) => t * partitions) };
  } finally {
    for (const name of names) await engine.unregister(name);
  }
}

export async function benchHistorical(
  data: HistoricalData,
  engines: { label: string; open: () => Promise<SqlEngine> }[],
  runs: number,
  only?: string[],
): Promise<{ rows: Row[]; markdown: string }> {
  const rows: Row[] = [];
  for (const { label, open } of engines) {
    const engine = await open();
    for (const [scenario, build, entityPath, views] of [
      [
        `(a) ${data.sizes.entityRowsA.toLocaleString('en-US')} entity rows x 2 views of ${data.sizes.viewRowsA.toLocaleString('en-US')} rows`,
        scenarioA,
        data.entityA,
        data.viewsA.map((path, i) => ({ path, view: `b_a${i}`, features: ['f1', 'f2', 'f3'], ttlDays: 1, created: true })),
      ],
      [
        `(b) ${data.sizes.entityRowsB.toLocaleString('en-US')} entity rows x 10 views x ${data.sizes.featuresB} features`,
        scenarioB,
        data.entityB,
        data.viewsB.map((path, v) => ({
          path,
          view: `b_b${v}`,
          features: Array.from({ length: data.sizes.featuresB }, (_, f) => `v${v}_f${f}`),
          ttlDays: 7,
          created: false,
        })),
      ],
    ] as const) {
      if (only && !only.includes(scenario.slice(1, 2))) continue; // "(a) ..." -> "a"
      const { objects, features } = build(data);
      // 'auto' partitions: one statement on native DuckDB, as many passes as DuckDB-WASM's heap needs.
      const offline = createDuckDbOfflineStore({ engine: async () => engine, sources: fileLoader });
      const store = createFeatureStore({ project: 'bench', registry: new MemoryRegistryStore(), offlineStore: offline });
      await store.apply(objects);
      const context = { document: await store.registry.document(), onDemandCode: new Map(), streamCode: new Map() };
      let resultRows = 0;
      const row: Row = { scenario, engine: label, rows: 0, errors: {} };
      process.stdout.write(`  ${label} ${scenario}: feast-edge...`);
      // Each figure stands alone: on DuckDB-WASM the hand-written query cannot hold shape (a) at full size.
      const attempt = async (what: keyof Row['errors'], run: () => Promise<Measurement>): Promise<Measurement | undefined> => {
        try {
          const m = await run();
          process.stdout.write(` ${fmtMs(m.medianMs)};`);
          return m;
        } catch (error) {
          row.errors[what] = (error as Error).message.split('\n')[0];
          process.stdout.write(` failed: ${row.errors[what]};`);
          return undefined;
        }
      };
      row.feastEdge = await attempt('feastEdge', () =>
        measure(
          async () => {
            // The offline store's own job (what store.getHistoricalFeatures runs), to read how many partitions it used.
            const result = await offline.getHistoricalFeatures({ entityDf: { path: entityPath }, features, fullFeatureNames: true }, context).result();
            resultRows = result.table.numRows;
            row.partitions = result.partitions;
          },
          { runs },
        ),
      );
      process.stdout.write(` (${row.partitions ?? '?'} partition(s)) hand-written...`);
      row.baseline = await attempt('baseline', () => measure(() => runBaseline(engine, entityPath, [...views], false), { runs }));
      process.stdout.write(' naive ASOF...');
      row.naive = await attempt('naive', () => measure(() => runBaseline(engine, entityPath, [...views], true), { runs }));
      if ((row.partitions ?? 1) > 1) {
        process.stdout.write(' one partition hand-written...');
        row.onePartition = await attempt('onePartition', () => onePartitionBaseline(engine, entityPath, [...views], row.partitions!, runs));
      }
      process.stdout.write('\n');
      row.rows = resultRows;
      rows.push(row);
    }
    await engine.close();
  }
  const ms = (m?: Measurement, error?: string) => (m ? fmtMs(m.medianMs) : error ? `failed: ${error}` : '-');
  const vs = (a?: Measurement, b?: Measurement) => (a && b ? ratio(a.medianMs, b.medianMs) : '-');
  const lines = [
    '| scenario | engine | feast-edge | partitions | hand-written (correct ties) | ratio | naive ASOF (no tie-break) | ratio | result rows | process peak RSS (growth during this figure) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${r.engine} | ${ms(r.feastEdge, r.errors.feastEdge)} | ${r.partitions ?? '-'} | ${ms(r.baseline, r.errors.baseline)} | ${vs(r.feastEdge, r.baseline)} | ${ms(r.naive, r.errors.naive)} | ${vs(r.feastEdge, r.naive)} | ${r.rows.toLocaleString('en-US')} | ${r.feastEdge ? `${Math.round(r.feastEdge.peakRssMb)} MB (+${Math.round(r.feastEdge.rssGrowthMb)} MB)` : '-'} |`,
    ),
  ];
  const partitioned = rows.filter((r) => r.onePartition || r.errors.onePartition);
  if (partitioned.length) {
    lines.push(
      '',
      'Partitioned runs beside a floor: the hand-written query on one hash partition of the rows (read and filtered before the clock), times the partition count.',
      '',
      '| scenario | engine | feast-edge | partitions | floor: one partition x partitions | ratio |',
      '|---|---|---|---|---|---|',
      ...partitioned.map(
        (r) =>
          `| ${r.scenario} | ${r.engine} | ${ms(r.feastEdge)} | ${r.partitions} | ${ms(r.onePartition, r.errors.onePartition)} | ${vs(r.feastEdge, r.onePartition)} |`,
      ),
    );
  }
  const native = rows.filter((r) => r.engine === 'duckdb-native' && r.feastEdge);
  const wasm = rows.filter((r) => r.engine === 'duckdb-wasm' && r.feastEdge);
  const pairs = native.map((n) => [n, wasm.find((w) => w.scenario === n.scenario)] as const).filter(([, w]) => w);
  if (pairs.length) {
    lines.push('', 'Native vs WASM (feast-edge, same scenario and data):', '');
    for (const [n, w] of pairs)
      lines.push(
        `- ${n.scenario}: native ${ms(n.feastEdge)} (${n.partitions} partition), WASM ${ms(w!.feastEdge)} (${w!.partitions} partitions): WASM takes ${vs(w!.feastEdge, n.feastEdge)} native's time`,
      );
  }
  return { rows, markdown: lines.join('\n') };
}
