/**
 * Materialization throughput: materialize() from a Parquet file into memory and LMDB, end
 * to end, beside each backend's raw put of the same rows and beside DuckDB's read of the
 * latest rows alone (the bound the offline half sets), all in one run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { open } from 'lmdb';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../src/definitions/index.js';
import { encodeEntityKey, entityKeyToString } from '../src/online/entity-key.js';
import { MemoryOnlineStore } from '../src/online/memory-online-store.js';
import type { OnlineColumnarBatch, OnlineStore } from '../src/online/online-store.js';
import { createDuckDbOfflineStore } from '../src/offline/duckdb/duckdb-offline-store.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { NativeDuckDBEngine } from '../src/runtime/node/duckdb/duckdb-native-engine.js';
import { LmdbOnlineStore } from '../src/runtime/node/lmdb/lmdb-online-store.js';
import { nodeSourceLoader } from '../src/runtime/node/node-source-loader.js';
import { createFeatureStore } from '../src/store/feature-store.js';
import { callInPage, startChromium } from '../test/support/chromium.js';

const FEATURES = 50;
const BATCH = 10_000;
const START = '2021-01-01T00:00:00Z';
const END = '2021-12-31T00:00:00Z';
const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const view = featureView({
  name: 'stats',
  entities: [driver],
  source: fileSource({ name: 'src', path: 'materialize-source.parquet', createdTimestampColumn: 'created' }),
  schema: Array.from({ length: FEATURES }, (_, f) => field(`f${f}`, Float64)),
});

/** Median of `runs` timings (seconds) of `fn`. */
async function medianSeconds(runs: number, fn: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    await fn();
    times.push((performance.now() - started) / 1000);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} rows/s`;

/** The markdown section for `rows` source rows (one per key, 50 Float64 features). */
export async function benchMaterialize(rows: number, runs = 3): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-bench-materialize-'));
  const engine = await NativeDuckDBEngine.open();
  try {
    const features = Array.from({ length: FEATURES }, (_, f) => `(i + ${f / 100})::DOUBLE AS f${f}`).join(', ');
    await engine.exec(
      `COPY (SELECT i::BIGINT AS driver_id, TIMESTAMP '2021-04-12 10:00:00' AS event_timestamp, TIMESTAMP '2021-04-12 11:00:00' AS created, ${features} ` +
        `FROM range(${rows}) t(i)) TO '${join(dir, 'materialize-source.parquet')}' (FORMAT parquet)`,
    );
    const offlineStore = createDuckDbOfflineStore({ engine: async () => engine, sources: nodeSourceLoader(dir) });
    // The rows as plain values, built outside every clock: what the raw puts write.
    const keys = Array.from({ length: rows }, (_, i) => entityKeyToString(encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: i }])));
    const rowValues = (i: number) => Array.from({ length: FEATURES }, (_, f) => i + f / 100);

    // The bound the offline half sets: DuckDB reading the latest rows, batch by batch, with no store.
    const readAlone = async () => {
      const latest = await offlineStore.pullLatest(view, BigInt(Date.parse(START)) * 1000n, BigInt(Date.parse(END)) * 1000n);
      let n = 0;
      for await (const batch of latest.batches) n += batch.rows;
      if (n !== rows) throw new Error(`read ${n} of ${rows} rows`);
    };

    // materialize's batches as the store receives them (typed columns, keys encoded), built outside the clock.
    const columnar: OnlineColumnarBatch[] = [];
    for (let from = 0; from < rows; from += BATCH) {
      const n = Math.min(BATCH, rows - from);
      const features: Record<string, { numbers: Float64Array }> = {};
      for (let f = 0; f < FEATURES; f++) features[`f${f}`] = { numbers: Float64Array.from({ length: n }, (_, i) => from + i + f / 100) };
      columnar.push({
        view: 'stats',
        keys: Array.from({ length: n }, (_, i) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: from + i }])),
        eventTimestamps: new BigInt64Array(n).fill(1_618_221_600_000_000n),
        createdTimestamps: { micros: new BigInt64Array(n).fill(1_618_225_200_000_000n) },
        features,
      });
    }

    const rawMap = new Map<string, unknown[]>();
    const rawLmdb = open({ path: join(dir, 'raw.lmdb'), compression: false });
    const lmdb = new LmdbOnlineStore(join(dir, 'online.lmdb'));
    const subjects: [string, OnlineStore, () => void][] = [
      // Raw memory put: one array of values per key in a Map, no event-time check.
      [
        'memory',
        new MemoryOnlineStore(),
        () => {
          for (let i = 0; i < rows; i++) rawMap.set(keys[i], rowValues(i));
        },
      ],
      // Raw LMDB put: lmdb-js's own MessagePack of each row's values, one transaction per 10k rows, no event-time check.
      [
        'lmdb',
        lmdb,
        () => {
          for (let from = 0; from < rows; from += BATCH) {
            rawLmdb.transactionSync(() => {
              for (let i = from; i < Math.min(rows, from + BATCH); i++) rawLmdb.putSync(`bench/w/${keys[i]}`, rowValues(i));
            });
          }
        },
      ],
    ];
    const lines = [
      '| store | materialize() end to end | raw put of the same rows | materialize / raw put | store write of the same batches alone (/ raw put) | DuckDB read of the latest rows alone | materialize / read alone |',
      '|---|---|---|---|---|---|---|',
    ];
    for (const [label, online, rawPut] of subjects) {
      const store = createFeatureStore({
        project: 'bench',
        registry: new MemoryRegistryStore(),
        offlineStore,
        onlineStore: online,
        registryCacheTtlMs: 60_000,
      });
      await store.apply([driver, view]);
      // Each run re-materializes the same window: the rows replace themselves (the event-time check reads every stored row).
      // Alternated run by run, so a change in the machine's load falls on both.
      const materializeRuns: number[] = [];
      const rawRuns: number[] = [];
      const readRuns: number[] = [];
      const writeRuns: number[] = [];
      for (let run = 0; run < runs; run++) {
        writeRuns.push(
          await medianSeconds(1, async () => {
            for (const batch of columnar) await online.writeColumns!('bench', batch);
          }),
        );
        materializeRuns.push(await medianSeconds(1, () => store.materialize({ start: START, end: END })));
        rawRuns.push(await medianSeconds(1, rawPut));
        readRuns.push(await medianSeconds(1, readAlone));
      }
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const materialize = median(materializeRuns);
      const raw = median(rawRuns);
      const read = median(readRuns);
      const write = median(writeRuns);
      const ours = rows / materialize;
      lines.push(
        `| ${label} | ${rate(ours)} | ${rate(rows / raw)} | ${((ours / (rows / raw)) * 100).toFixed(0)}% | ${rate(rows / write)} (${((raw / write) * 100).toFixed(0)}%) | ${rate(rows / read)} | ${((ours / (rows / read)) * 100).toFixed(0)}% |`,
      );
      // What this store holds is dropped before the next is measured: a full heap slows every later collection.
      await online.close();
      rawMap.clear();
      process.stdout.write(
        `  ${label}: materialize ${rate(ours)}, raw put ${rate(rows / raw)}, store write alone ${rate(rows / write)}, DuckDB read alone ${rate(rows / read)}\n`,
      );
    }
    await rawLmdb.close();
    const browser = await benchIndexedDbWrite(rows);
    if (browser) {
      lines.push(
        `| indexeddb (Chromium, write half only) | | ${rate(browser.raw)} | | ${rate(browser.ours)} (${((browser.ours / browser.raw) * 100).toFixed(0)}%) | | |`,
      );
      process.stdout.write(`  indexeddb: materialize's batches written ${rate(browser.ours)}, raw put ${rate(browser.raw)}\n`);
    }
    return [
      '## Materialization: end to end beside the raw put',
      '',
      `materialize() of ${rows.toLocaleString('en-US')} rows x ${FEATURES} Float64 features (one row per key, with a created column) from a Parquet file, median of ${runs} runs of the same window, alternated with the raw put's and the read's runs (each run after the first replaces every row, so the event-time check reads every stored row). DuckDB finds the newest (event, created) pair per key, streams the source joined to it in 10k-row Arrow batches, and the columns go to the store's columnar write (typed arrays, no JS value per cell). Raw put: the backend's own write of the same rows' values held in memory, with no event-time check (memory: a Map of one array per key; LMDB: lmdb-js's putSync of each row's MessagePack, one transaction per 10k rows). Store write alone: the same rows as materialize hands them over (10k-row batches of typed columns, keys encoded, built outside the clock) given to the store's writeColumns, replacing the rows the previous run wrote. DuckDB read alone: the same latest rows pulled batch by batch and dropped, with no store.`,
      '',
      ...lines,
      '',
      ...(browser
        ? [
            `IndexedDB runs inside headless Chromium ${browser.version}, where materialize() would read through DuckDB-WASM: the figure is the write half, materialize's own batches (typed Float64 columns, 10k rows each, built outside the clock) through the IndexedDB store into an empty database, beside a raw idb put per row of the same values (one array per key, one transaction per batch, no event-time check), median of ${runs} alternated runs each.`,
            '',
          ]
        : []),
    ].join('\n');
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The IndexedDB write half in Chromium, or undefined when Chromium is not installed. */
async function benchIndexedDbWrite(rows: number, runs = 3): Promise<{ ours: number; raw: number; version: string } | undefined> {
  const harness = await startChromium({ entries: { materialize: 'bench/browser/materialize.entry.ts' } });
  if (!harness) return undefined;
  try {
    const page = await harness.openPage('materialize');
    const ours: number[] = [];
    const raw: number[] = [];
    for (let run = 0; run < runs; run++) {
      ours.push(await callInPage<number>(page, 'materializeWrite', rows, FEATURES, BATCH));
      raw.push(await callInPage<number>(page, 'rawPut', rows, FEATURES, BATCH));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { ours: median(ours), raw: median(raw), version: harness.browser.version() };
  } finally {
    await harness.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchMaterialize(Number(process.env.MATERIALIZE_ROWS ?? 100_000)));
}
