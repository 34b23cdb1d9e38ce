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
  error?: string;
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
      const store = createFeatureStore({
        project: 'bench',
        registry: new MemoryRegistryStore(),
        offlineStore: createDuckDbOfflineStore({ engine: async () => engine, sources: fileLoader }),
      });
      await store.apply(objects);
      let resultRows = 0;
      const row: Row = { scenario, engine: label, rows: 0 };
      try {
        process.stdout.write(`  ${label} ${scenario}: feast-edge...`);
        row.feastEdge = await measure(
          async () => {
            resultRows = (await store.getHistoricalFeatures({ entityDf: { path: entityPath }, features, fullFeatureNames: true }).toArrow()).numRows;
          },
          { runs },
        );
        process.stdout.write(` ${fmtMs(row.feastEdge.medianMs)}; hand-written...`);
        row.baseline = await measure(() => runBaseline(engine, entityPath, [...views], false), { runs });
        process.stdout.write(` ${fmtMs(row.baseline.medianMs)}; naive ASOF...`);
        row.naive = await measure(() => runBaseline(engine, entityPath, [...views], true), { runs });
        process.stdout.write(` ${fmtMs(row.naive.medianMs)}\n`);
      } catch (error) {
        // Recorded, not fatal: DuckDB-WASM's 32-bit heap (about 3 GiB) cannot hold the largest shapes.
        row.error = (error as Error).message.split('\n')[0];
        process.stdout.write(` failed: ${row.error}\n`);
      }
      row.rows = resultRows;
      rows.push(row);
    }
    await engine.close();
  }
  const ms = (m?: Measurement) => (m ? fmtMs(m.medianMs) : '-');
  const vs = (a?: Measurement, b?: Measurement) => (a && b ? ratio(a.medianMs, b.medianMs) : '-');
  const lines = [
    '| scenario | engine | feast-edge | hand-written (correct ties) | ratio | naive ASOF (no tie-break) | ratio | result rows | process peak RSS (growth during this figure) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) =>
      r.error
        ? `| ${r.scenario} | ${r.engine} | failed: ${r.error} | | | | | | |`
        : `| ${r.scenario} | ${r.engine} | ${ms(r.feastEdge)} | ${ms(r.baseline)} | ${vs(r.feastEdge, r.baseline)} | ${ms(r.naive)} | ${vs(r.feastEdge, r.naive)} | ${r.rows.toLocaleString('en-US')} | ${Math.round(r.feastEdge?.peakRssMb ?? 0)} MB (+${Math.round(r.feastEdge?.rssGrowthMb ?? 0)} MB) |`,
    ),
  ];
  const native = rows.filter((r) => r.engine === 'duckdb-native' && r.feastEdge);
  const wasm = rows.filter((r) => r.engine === 'duckdb-wasm' && r.feastEdge);
  const pairs = native.map((n) => [n, wasm.find((w) => w.scenario === n.scenario)] as const).filter(([, w]) => w);
  if (pairs.length) {
    lines.push('', 'Native vs WASM (feast-edge, same scenario and data):', '');
    for (const [n, w] of pairs)
      lines.push(`- ${n.scenario}: native ${ms(n.feastEdge)}, WASM ${ms(w!.feastEdge)}: native ${vs(w!.feastEdge, n.feastEdge)} faster`);
  }
  return { rows, markdown: lines.join('\n') };
}
