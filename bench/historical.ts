import {
  entity, featureView, field, fileSource, Float64, Int64, type FeastObject,
} from '../src/definitions/index.js';
import type { SourceLoader } from '../src/offline/source-loader.js';
import type { SqlEngine } from '../src/offline/sql-engine.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { createFeatureStore } from '../src/store/feature-store.js';
import type { HistoricalData } from './historical-data.js';
import { fmtMs, measure, ratio, type Measurement } from './measure.js';

/** Reads bench files by absolute path, as the Node runtime's loader does for repo files. */
const fileLoader: SourceLoader = {
  load: (engine, view, source, columns) => engine.registerFile(view, source.path, source.format, columns),
};

interface Row { scenario: string; engine: string; feastEdge: Measurement; baseline: Measurement; naive: Measurement; rows: number }

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });

function scenarioA(data: HistoricalData): { objects: FeastObject[]; features: string[] } {
  const views = data.viewsA.map((path, i) => featureView({
    name: `stats_a${i + 1}`, entities: [driver], ttl: '1d',
    source: fileSource({ name: `src_a${i + 1}`, path, timestampField: 'event_timestamp', createdTimestampColumn: 'created' }),
    schema: [field('f1', Float64), field('f2', Float64), field('f3', Int64)],
  }));
  return { objects: [driver, ...views], features: views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`)) };
}

function scenarioB(data: HistoricalData): { objects: FeastObject[]; features: string[] } {
  const views = data.viewsB.map((path, v) => featureView({
    name: `wide_b${v}`, entities: [driver], ttl: '7d',
    source: fileSource({ name: `src_b${v}`, path, timestampField: 'event_timestamp' }),
    schema: Array.from({ length: data.sizes.featuresB }, (_, f) => field(`v${v}_f${f}`, Float64)),
  }));
  return { objects: [driver, ...views], features: views.flatMap((v) => v.features.map((f) => `${v.name}:${f.name}`)) };
}

/**
 * The hand-written query a DuckDB user would write for the same answer: dedup on
 * (key, ts) by created when there is a created column, ASOF per view, ttl as a CASE.
 * `naive` skips the tie-break (fastest possible ASOF, not always correct).
 */
function handWrittenSql(views: { view: string; features: string[]; ttlDays: number; created: boolean }[], naive: boolean): string {
  const ctes = views.map((v, i) => `v${i} AS (SELECT * FROM "${v.view}"${v.created && !naive
    ? ' QUALIFY row_number() OVER (PARTITION BY driver_id, event_timestamp ORDER BY created DESC NULLS LAST) = 1' : ''})`);
  const cols = views.flatMap((v, i) => v.features.map((f) =>
    `CASE WHEN v${i}.event_timestamp >= e.event_timestamp - INTERVAL ${v.ttlDays} DAY THEN v${i}."${f}" END AS "${f}_${i}"`));
  const joins = views.map((_, i) => `ASOF LEFT JOIN v${i} ON e.driver_id = v${i}.driver_id AND e.event_timestamp >= v${i}.event_timestamp`);
  return `WITH ${ctes.join(', ')} SELECT e.driver_id, e.event_timestamp, ${cols.join(', ')} FROM "ent" e ${joins.join(' ')}`;
}

async function runBaseline(engine: SqlEngine, entityPath: string, views: { path: string; view: string; features: string[]; ttlDays: number; created: boolean }[], naive: boolean): Promise<number> {
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

export async function benchHistorical(data: HistoricalData, engines: { label: string; open: () => Promise<SqlEngine> }[], runs: number): Promise<{ rows: Row[]; markdown: string }> {
  const rows: Row[] = [];
  for (const { label, open } of engines) {
    const engine = await open();
    for (const [scenario, build, entityPath, views] of [
      [`(a) ${data.sizes.entityRowsA.toLocaleString('en-US')} entity rows x 2 views of ${data.sizes.viewRowsA.toLocaleString('en-US')} rows`, scenarioA, data.entityA,
        data.viewsA.map((path, i) => ({ path, view: `b_a${i}`, features: ['f1', 'f2', 'f3'], ttlDays: 1, created: true }))],
      [`(b) ${data.sizes.entityRowsB.toLocaleString('en-US')} entity rows x 10 views x ${data.sizes.featuresB} features`, scenarioB, data.entityB,
        data.viewsB.map((path, v) => ({ path, view: `b_b${v}`, features: Array.from({ length: data.sizes.featuresB }, (_, f) => `v${v}_f${f}`), ttlDays: 7, created: false }))],
    ] as const) {
      const { objects, features } = build(data);
      const store = createFeatureStore({ project: 'bench', registry: new MemoryRegistryStore(), engine: async () => engine, sources: fileLoader });
      await store.apply(objects);
      let resultRows = 0;
      process.stdout.write(`  ${label} ${scenario}: feast-edge...`);
      const feastEdge = await measure(async () => {
        resultRows = (await store.getHistoricalFeatures({ entityDf: { path: entityPath }, features, fullFeatureNames: true }).toArrow()).numRows;
      }, { runs });
      process.stdout.write(` ${fmtMs(feastEdge.medianMs)}; hand-written...`);
      const baseline = await measure(() => runBaseline(engine, entityPath, [...views], false), { runs });
      process.stdout.write(` ${fmtMs(baseline.medianMs)}; naive ASOF...`);
      const naive = await measure(() => runBaseline(engine, entityPath, [...views], true), { runs });
      process.stdout.write(` ${fmtMs(naive.medianMs)}\n`);
      rows.push({ scenario, engine: label, feastEdge, baseline, naive, rows: resultRows });
    }
    await engine.close();
  }
  const lines = [
    '| scenario | engine | feast-edge | hand-written (correct ties) | ratio | naive ASOF (no tie-break) | ratio | result rows | peak RSS |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.scenario} | ${r.engine} | ${fmtMs(r.feastEdge.medianMs)} | ${fmtMs(r.baseline.medianMs)} | ${ratio(r.feastEdge.medianMs, r.baseline.medianMs)} | ${fmtMs(r.naive.medianMs)} | ${ratio(r.feastEdge.medianMs, r.naive.medianMs)} | ${r.rows.toLocaleString('en-US')} | ${Math.round(Math.max(r.feastEdge.peakRssMb, r.baseline.peakRssMb))} MB |`),
  ];
  const native = rows.filter((r) => r.engine === 'duckdb-native');
  const wasm = rows.filter((r) => r.engine === 'duckdb-wasm');
  if (native.length && wasm.length) {
    lines.push('', 'Native vs WASM (feast-edge, same scenario):', '');
    native.forEach((n, i) => lines.push(`- ${n.scenario}: native ${fmtMs(n.feastEdge.medianMs)}, WASM ${fmtMs(wasm[i].feastEdge.medianMs)}: native ${ratio(wasm[i].feastEdge.medianMs, n.feastEdge.medianMs)} faster`));
  }
  return { rows, markdown: lines.join('\n') };
}
