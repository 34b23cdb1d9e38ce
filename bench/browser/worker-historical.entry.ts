/**
 * Page side of the worker bench: historical retrieval through connectFeatureStore (the
 * feature store in a Web Worker) beside the hand-written query on DuckDB-WASM opened in
 * this same page, over the same Parquet files. Only numbers go back to Node.
 */
import { tableFromIPC } from 'apache-arrow';
import { openBrowserEngine } from '../../src/runtime/browser/browser-engine.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { connectFeatureStore } from '../../src/runtime/worker/connect-feature-store.js';
import { partitionCount } from '../../src/offline/duckdb/partition-count.js';
import { describeColumns } from '../../src/sql/describe.js';

const FEATURES = ['f1', 'f2', 'f3'];

/** What a DuckDB user would write: dedup (key, time) by created, one ASOF join, the ttl as a CASE. */
const HAND_WRITTEN = `WITH v AS (SELECT * FROM stats QUALIFY row_number() OVER (PARTITION BY driver_id, event_timestamp ORDER BY created DESC NULLS LAST) = 1)
SELECT e.driver_id, e.event_timestamp, ${FEATURES.map((f) => `CASE WHEN v.event_timestamp >= e.event_timestamp - INTERVAL 1 DAY THEN v.${f} END AS ${f}`).join(', ')}
FROM ent e ASOF LEFT JOIN v ON e.driver_id = v.driver_id AND e.event_timestamp >= v.event_timestamp`;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function timed(runs: number, work: () => Promise<number>): Promise<{ medianMs: number; rows: number }> {
  let rows = await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    rows = await work();
    times.push(performance.now() - start);
  }
  return { medianMs: median(times), rows };
}

async function benchWorkerHistorical(runs: number) {
  const worker = new Worker('/workers/bench/feature-store.js', { type: 'module' });
  const store = connectFeatureStore(worker);
  await store.open({
    registryDatabase: 'bench-registry',
    onlineDatabase: 'bench-online',
    offlineDatabase: 'bench-offline',
    sourceBaseUrl: `${location.origin}/data/`,
  });
  await store.apply();
  const request = { entityDf: { url: `${location.origin}/data/entity.parquet`, format: 'parquet' as const }, features: FEATURES.map((f) => `stats:${f}`) };
  const ours = await timed(runs, async () => {
    const result = await store.getHistoricalFeatures(request);
    return tableFromIPC(result.ipc).numRows;
  });
  worker.terminate();

  const { engine } = await openBrowserEngine({
    duckdbWasm: '/assets/duckdb-eh.wasm',
    duckdbWorker: '/assets/duckdb-browser-eh.worker.js',
    parquetWasm: '/assets/parquet_wasm_bg.wasm',
  });
  const load = async (view: string, file: string, columns: string[]) => {
    const bytes = new Uint8Array(await (await fetch(`/data/${file}`)).arrayBuffer());
    await (engine as SqlEngine).registerBytes(view, bytes, 'parquet', columns);
  };
  const baseline = await timed(runs, async () => {
    await load('ent', 'entity.parquet', ['driver_id', 'event_timestamp']);
    await load('stats', 'stats.parquet', ['driver_id', 'event_timestamp', 'created', ...FEATURES]);
    return (await engine.query(HAND_WRITTEN)).numRows;
  });
  await engine.close();
  return { ours, baseline };
}

Object.assign(globalThis, { benchWorkerHistorical });

/**
 * The historical bench's shape (a) at full size in the worker: 1M entity rows against two
 * views of 10M rows, the worker's DuckDB-WASM running the join in hash partitions. Also
 * reports the memory limit DuckDB-WASM has in this browser, which the partition count follows.
 */
async function benchWorkerHistoricalLarge(runs: number, rows: { entity: number; view: number }) {
  const worker = new Worker('/workers/bench/feature-store-large.js', { type: 'module' });
  const store = connectFeatureStore(worker);
  await store.open({
    registryDatabase: 'bench-large-registry',
    onlineDatabase: 'bench-large-online',
    offlineDatabase: 'bench-large-offline',
    sourceBaseUrl: `${location.origin}/data/large/`,
  });
  await store.apply();
  const features = ['stats_a1', 'stats_a2'].flatMap((v) => FEATURES.map((f) => `${v}:${f}`));
  const request = { entityDf: { url: `${location.origin}/data/large/entity_a.parquet`, format: 'parquet' as const }, features, fullFeatureNames: true };
  const ours = await timed(runs, async () => {
    const result = await store.getHistoricalFeatures(request);
    return tableFromIPC(result.ipc).numRows;
  });
  worker.terminate();
  const { engine } = await openBrowserEngine({
    duckdbWasm: '/assets/duckdb-eh.wasm',
    duckdbWorker: '/assets/duckdb-browser-eh.worker.js',
    parquetWasm: '/assets/parquet_wasm_bg.wasm',
  });
  const memoryLimit = String((await engine.query(`SELECT current_setting('memory_limit') AS m`)).getChild('m')?.get(0));
  // The worker's sizing, redone here on views of the same row counts and column types (the worker reports rows, not its plan).
  await engine.registerQuery('ent_shape', `SELECT range AS driver_id, TIMESTAMP '2024-01-01' AS event_timestamp FROM range(${rows.entity})`);
  await engine.registerQuery(
    'src_shape',
    `SELECT range AS driver_id, TIMESTAMP '2024-01-01' AS event_timestamp, TIMESTAMP '2024-01-01' AS created, 0.5::DOUBLE AS f1, 0.5::DOUBLE AS f2, range AS f3 FROM range(${rows.view})`,
  );
  const types = async (view: string) => describeColumns(engine, { view });
  const source = { view: 'src_shape', types: await types('src_shape'), reads: 1 };
  const partitions = await partitionCount(engine, 'auto', { view: 'ent_shape', types: await types('ent_shape'), reads: 1 }, [source, { ...source }]);
  await engine.close();
  return { ours, memoryLimit, partitions };
}

Object.assign(globalThis, { benchWorkerHistoricalLarge });
