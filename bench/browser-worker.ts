import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createNodeEngine } from '../src/runtime/node/duckdb/engine.js';
import { bundleServiceWorker, callInPage, startChromium } from '../test/support/chromium.js';
import { fmtMs, measure, ratio } from './measure.js';
import { NativeDuckDBEngine } from '../src/runtime/node/duckdb/duckdb-native-engine.js';
import { generateHistoricalData } from './historical-data.js';
import { readFile } from 'node:fs/promises';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../src/definitions/index.js';
import { createDuckDbOfflineStore } from '../src/offline/duckdb/duckdb-offline-store.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { createFeatureStore } from '../src/store/feature-store.js';

const TRANSFER_ROWS = 1_000_000;
const ENTITY_ROWS = 100_000;
const VIEW_ROWS = 1_000_000;
const DRIVERS = 10_000;
const DEFINITIONS = 'bench/browser/worker-bench-definitions.ts';
const BASE = "TIMESTAMP '2021-04-01 00:00:00'";

const require = createRequire(import.meta.url);
const packageFile = (specifier: string) => require.resolve(specifier);

/** The bench's Parquet files: a 1M-row view (some (key, time) pairs twice, told apart by created) and 100k entity rows. */
async function writeWorkerBenchData(dir: string): Promise<{ entity: string; stats: string }> {
  mkdirSync(dir, { recursive: true });
  const engine = await createNodeEngine();
  try {
    const stats = join(dir, 'stats.parquet');
    const entity = join(dir, 'entity.parquet');
    writeFileSync(
      stats,
      await engine.export(
        `SELECT (i % ${DRIVERS})::BIGINT AS driver_id,
      ${BASE} + to_microseconds(((i // ${DRIVERS}) * 7200 + (hash(i) % 600))::BIGINT * 1000000) AS event_timestamp,
      ${BASE} + to_microseconds((i % 977)::BIGINT * 1000000) AS created,
      (hash(i * 3) % 1000) / 1000.0 AS f1, (hash(i * 5) % 1000) / 10.0 AS f2, (hash(i * 7) % 500)::BIGINT AS f3
      FROM range(${VIEW_ROWS}) t(i)`,
        'parquet',
      ),
    );
    writeFileSync(
      entity,
      await engine.export(
        `SELECT (hash(i * 11) % ${DRIVERS})::BIGINT AS driver_id,
      ${BASE} + to_microseconds((hash(i * 13) % ${(VIEW_ROWS / DRIVERS) * 7200})::BIGINT * 1000000) AS event_timestamp
      FROM range(${ENTITY_ROWS}) t(i)`,
        'parquet',
      ),
    );
    return { entity, stats };
  } finally {
    await engine.close();
  }
}

/**
 * Historical retrieval of 100k entity rows against a 1M-row view by the feature store in
 * a Web Worker (connectFeatureStore, result as Arrow IPC), beside the hand-written query
 * on DuckDB-WASM opened in the same page over the same files.
 */
export async function benchWorkerHistorical(runs: number): Promise<string> {
  const data = await writeWorkerBenchData(join(import.meta.dirname, 'tmp', 'worker-bench'));
  const duckdbDist = dirname(packageFile('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  const harness = await startChromium({
    entries: { historical: 'bench/browser/worker-historical.entry.ts' },
    files: {
      '/data/stats.parquet': data.stats,
      '/data/entity.parquet': data.entity,
      '/assets/duckdb-eh.wasm': join(duckdbDist, 'duckdb-eh.wasm'),
      '/assets/duckdb-browser-eh.worker.js': join(duckdbDist, 'duckdb-browser-eh.worker.js'),
      '/assets/parquet_wasm_bg.wasm': packageFile('parquet-wasm/esm/parquet_wasm_bg.wasm'),
    },
    webWorkers: { '/workers/bench/feature-store.js': { entry: 'targets/feature-store.worker.ts', alias: { 'feast-edge-definitions': DEFINITIONS } } },
  });
  if (!harness) return '### Historical retrieval in a Web Worker\n\nSkipped: chromium is not installed.\n';
  try {
    const page = await harness.openPage('historical');
    const r = await callInPage<{ ours: { medianMs: number; rows: number }; baseline: { medianMs: number; rows: number } }>(page, 'benchWorkerHistorical', runs);
    if (r.ours.rows !== ENTITY_ROWS || r.baseline.rows !== ENTITY_ROWS)
      throw new Error(`worker bench: expected ${ENTITY_ROWS} rows, got ${r.ours.rows} and ${r.baseline.rows}`);
    process.stdout.write(
      `  worker historical ${ENTITY_ROWS} x ${VIEW_ROWS}: ${fmtMs(r.ours.medianMs)} vs hand-written in the page ${fmtMs(r.baseline.medianMs)}\n`,
    );
    return [
      '### Historical retrieval in a Web Worker',
      '',
      `${ENTITY_ROWS.toLocaleString('en-US')} entity rows against one view of ${VIEW_ROWS.toLocaleString('en-US')} rows (${DRIVERS.toLocaleString('en-US')} drivers, ttl 1 day, ties on event time broken by created), both files Parquet served by the page's origin. feast-edge: \`getHistoricalFeatures\` through \`connectFeatureStore\`, the feature store in a Web Worker reading the files by URL (range requests, the needed columns), DuckDB-WASM in its own worker, the result back as Arrow IPC and decoded on the page. Hand-written: DuckDB-WASM opened in the same page (same build and .wasm), the same files fetched and decoded by parquet-wasm (the needed columns), the query a DuckDB user would write (dedup by created, one ASOF join, the ttl as a CASE). Each run reads the files again. Headless Chromium ${harness.browser.version()}; median of ${runs} runs after one warm-up.`,
      '',
      '| feast-edge in the worker | hand-written on DuckDB-WASM in the page | ratio | rows |',
      '|---|---|---|---|',
      `| ${fmtMs(r.ours.medianMs)} | ${fmtMs(r.baseline.medianMs)} | ${ratio(r.ours.medianMs, r.baseline.medianMs)} | ${r.ours.rows.toLocaleString('en-US')} |`,
      '',
    ].join('\n');
  } finally {
    await harness.close();
  }
}

/** Native DuckDB in this process on the same files: the figure the browser's time is read against. */
async function nativeLargeMs(dir: string, runs: number): Promise<{ medianMs: number; rows: number }> {
  const engine = await NativeDuckDBEngine.open();
  try {
    const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
    const views = [1, 2].map((i) =>
      featureView({
        name: `stats_a${i}`,
        entities: [driver],
        ttl: '1d',
        source: fileSource({ name: `src_a${i}`, path: join(dir, `view_a${i}.parquet`), timestampField: 'event_timestamp', createdTimestampColumn: 'created' }),
        schema: [field('f1', Float64), field('f2', Float64), field('f3', Int64)],
      }),
    );
    const offline = createDuckDbOfflineStore({ engine: async () => engine, sources: { load: (e, v, s, c) => e.registerFile(v, s.path, s.format, c) } });
    const store = createFeatureStore({ project: 'native_large', registry: new MemoryRegistryStore(), offlineStore: offline });
    await store.apply([driver, ...views]);
    const features = views.flatMap((v) => ['f1', 'f2', 'f3'].map((f) => `${v.name}:${f}`));
    let rows = 0;
    const m = await measure(
      async () => {
        rows = (await store.getHistoricalFeatures({ entityDf: { path: join(dir, 'entity_a.parquet') }, features, fullFeatureNames: true }).toArrow()).numRows;
      },
      { runs },
    );
    return { medianMs: m.medianMs, rows };
  } finally {
    await engine.close();
  }
}

/**
 * The historical bench's shape (a) at full size (1M entity rows x 2 views of 10M rows) in
 * the Web Worker, DuckDB-WASM partitioning the join ('auto'), beside native DuckDB on the
 * same files in this Node process, measured in the same run.
 */
export async function benchWorkerHistoricalLarge(runs: number): Promise<string> {
  const generator = await NativeDuckDBEngine.open();
  const data = await generateHistoricalData(generator, 1, join(import.meta.dirname, '.data'));
  await generator.close();
  const duckdbDist = dirname(packageFile('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'));
  // Held in memory: the test server would otherwise read a 250 MB file for each of the readers' range requests.
  const files: Record<string, Uint8Array> = {};
  for (const name of ['entity_a', 'view_a1', 'view_a2'])
    files[`/data/large/${name}.parquet`] = new Uint8Array(await readFile(join(data.dir, `${name}.parquet`)));
  const harness = await startChromium({
    entries: { historical: 'bench/browser/worker-historical.entry.ts' },
    files: {
      ...files,
      '/assets/duckdb-eh.wasm': join(duckdbDist, 'duckdb-eh.wasm'),
      '/assets/duckdb-browser-eh.worker.js': join(duckdbDist, 'duckdb-browser-eh.worker.js'),
      '/assets/parquet_wasm_bg.wasm': packageFile('parquet-wasm/esm/parquet_wasm_bg.wasm'),
    },
    webWorkers: {
      '/workers/bench/feature-store-large.js': {
        entry: 'targets/feature-store.worker.ts',
        alias: { 'feast-edge-definitions': 'bench/browser/worker-bench-large-definitions.ts' },
      },
    },
  });
  if (!harness) return '### Historical retrieval at full size in a Web Worker\n\nSkipped: chromium is not installed.\n';
  let browser: { ours: { medianMs: number; rows: number }; memoryLimit: string; partitions?: number };
  try {
    const page = await harness.openPage('historical');
    browser = await callInPage(page, 'benchWorkerHistoricalLarge', runs, { entity: data.sizes.entityRowsA, view: data.sizes.viewRowsA });
  } catch (error) {
    browser = { ours: { medianMs: Number.NaN, rows: 0 }, memoryLimit: `failed: ${(error as Error).message.split('\n')[0]}` };
  } finally {
    await harness.close();
  }
  const native = await nativeLargeMs(data.dir, runs);
  const failed = browser.ours.rows !== data.sizes.entityRowsA;
  process.stdout.write(
    `  worker historical 1M x 2 x 10M: ${failed ? browser.memoryLimit : fmtMs(browser.ours.medianMs)} vs native in Node ${fmtMs(native.medianMs)}\n`,
  );
  return [
    '### Historical retrieval at full size in a Web Worker',
    '',
    `The historical bench's shape (a): ${data.sizes.entityRowsA.toLocaleString('en-US')} entity rows against two views of ${data.sizes.viewRowsA.toLocaleString('en-US')} rows (${data.sizes.drivers.toLocaleString('en-US')} drivers, ttl 1 day, created-time ties), Parquet served by the page's origin. feast-edge in the Web Worker (\`connectFeatureStore\`, DuckDB-WASM in its own worker, memory limit ${browser.memoryLimit}) partitions the join by hash ('auto': ${browser.partitions ?? '?'} partitions at this limit, the count recomputed in the page on the same row counts and types); beside it, native DuckDB in the Node process running the bench, same files, same run. Headless Chromium ${harness.browser.version()}; median of ${runs} runs after one warm-up.`,
    '',
    '| feast-edge in the worker (DuckDB-WASM) | partitions | feast-edge on native DuckDB (Node) | ratio | rows |',
    '|---|---|---|---|---|',
    `| ${failed ? browser.memoryLimit : fmtMs(browser.ours.medianMs)} | ${browser.partitions ?? '-'} | ${fmtMs(native.medianMs)} | ${failed ? '-' : ratio(browser.ours.medianMs, native.medianMs)} | ${browser.ours.rows.toLocaleString('en-US')} |`,
    '',
  ].join('\n');
}

/**
 * Page load to the first online answer with a warm Service Worker: the worker already
 * installed and its store open; each reload's first module asks /get-online-features.
 * Beside it, on the same loads, a static file fetched through the same worker.
 */
export async function benchFirstAnswer(runs: number): Promise<string> {
  writeFileSync(join(import.meta.dirname, 'tmp', 'static.json'), '{"ok":true}');
  const harness = await startChromium({
    entries: { first: 'bench/browser/first-answer.entry.ts' },
    files: { '/static.json': join(import.meta.dirname, 'tmp', 'static.json') },
    serviceWorkers: { '/service-worker.js': { entry: 'targets/service-worker.ts', alias: { 'feast-edge-definitions': DEFINITIONS } } },
  });
  if (!harness) return '### Page load to first online answer\n\nSkipped: chromium is not installed.\n';
  try {
    const page = await harness.openPage('first');
    await callInPage(page, 'install');
    const online: number[] = [];
    const plain: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      await harness.reload(page);
      await page.waitForFunction(() => {
        const m = (globalThis as unknown as { firstAnswer(): { onlineMs?: number; staticMs?: number; error?: string } }).firstAnswer();
        return m.error || (m.onlineMs && m.staticMs);
      });
      const m = await callInPage<{ onlineMs?: number; staticMs?: number; statuses?: string[]; error?: string }>(page, 'firstAnswer');
      if (m.error || !m.statuses?.every((s) => s === 'PRESENT' || s === 'NULL_VALUE'))
        throw new Error(`first-answer bench: ${m.error ?? JSON.stringify(m.statuses)}`);
      // The first load after install warms the browser's own caches: not timed.
      if (i > 0) {
        online.push(m.onlineMs!);
        plain.push(m.staticMs!);
      }
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    process.stdout.write(`  page load to first online answer (warm SW): ${fmtMs(median(online))} vs static file ${fmtMs(median(plain))}\n`);
    return [
      '### Page load to first online answer (warm Service Worker)',
      '',
      `A page controlled by targets/service-worker.ts (installed and its IndexedDB store open) is reloaded ${runs} times; its module asks \`/get-online-features\` for 3 entities x 3 features as soon as it runs. Time from navigation start until the answer is parsed, beside a static JSON file the same page fetches at the same moment through the same worker (passed through to the local server). Headless Chromium ${harness.browser.version()}, median of ${runs} reloads.`,
      '',
      '| first online answer | static file through the same worker | ratio |',
      '|---|---|---|',
      `| ${fmtMs(median(online))} | ${fmtMs(median(plain))} | ${ratio(median(online), median(plain))} |`,
      '',
    ].join('\n');
  } finally {
    await harness.close();
  }
}

interface TransferFigure {
  medianMs: number;
  workerMs: number;
  bytes: number;
  checksum: number;
}

/**
 * Moving a 1M-row result from a Web Worker to the page, in headless Chromium: Arrow IPC
 * bytes in a transferred buffer (what connectFeatureStore does) beside structured clone
 * of row objects, both until the page has read a column through.
 */
export async function benchTransfer(runs: number): Promise<string> {
  const dir = join(import.meta.dirname, 'tmp');
  mkdirSync(dir, { recursive: true });
  // A classic worker script, one file (the harness bundles pages as modules; the worker is served beside them).
  const workerFile = join(dir, 'transfer-worker.js');
  await bundleServiceWorker({ entry: 'bench/browser/transfer.worker.ts' }, workerFile);
  const harness = await startChromium({
    entries: { transfer: 'bench/browser/transfer.entry.ts' },
    files: { '/transfer-worker.js': workerFile },
    crossOriginIsolated: true,
  });
  if (!harness) return '### Transfer across the worker boundary\n\nSkipped: chromium is not installed.\n';
  try {
    const page = await harness.openPage('transfer');
    const r = await callInPage<Record<'ipc' | 'rows' | 'rows-prebuilt', TransferFigure>>(page, 'benchTransfer', TRANSFER_ROWS, runs);
    if (Math.abs(r.ipc.checksum - r.rows.checksum) > 1e-6 * Math.abs(r.rows.checksum))
      throw new Error(`transfer bench: the two paths disagree (${r.ipc.checksum} vs ${r.rows.checksum})`);
    process.stdout.write(
      `  transfer 1M rows: Arrow IPC ${fmtMs(r.ipc.medianMs)} vs rows ${fmtMs(r.rows.medianMs)} (prebuilt rows ${fmtMs(r['rows-prebuilt'].medianMs)})\n`,
    );
    return [
      '### Transfer of a 1M-row result across the worker boundary',
      '',
      `A result of ${TRANSFER_ROWS.toLocaleString('en-US')} rows (an Int64 key, a microsecond timestamp, four Float64 features), held in the worker as an Arrow table, sent to the page, timed from the page's request until the page has summed one column. Headless Chromium ${harness.browser.version()}; median of ${runs} runs after one warm-up.`,
      '',
      '| path | total | of which in the worker | bytes moved | vs Arrow IPC |',
      '|---|---|---|---|---|',
      `| Arrow IPC stream, buffer transferred (connectFeatureStore) | ${fmtMs(r.ipc.medianMs)} | ${fmtMs(r.ipc.workerMs)} | ${(r.ipc.bytes / 2 ** 20).toFixed(1)} MiB | 1.00x |`,
      `| rows as objects, structured clone (Arrow to objects in the worker included) | ${fmtMs(r.rows.medianMs)} | ${fmtMs(r.rows.workerMs)} | (cloned) | ${ratio(r.rows.medianMs, r.ipc.medianMs)} |`,
      `| rows as objects already built, structured clone only | ${fmtMs(r['rows-prebuilt'].medianMs)} | ${fmtMs(r['rows-prebuilt'].workerMs)} | (cloned) | ${ratio(r['rows-prebuilt'].medianMs, r.ipc.medianMs)} |`,
      '',
    ].join('\n');
  } finally {
    await harness.close();
  }
}
