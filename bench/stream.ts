import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FeastObject } from '../src/definitions/index.js';
import { MemoryOnlineStore } from '../src/online/memory-online-store.js';
import type { OnlineStore } from '../src/online/online-store.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { createNodeEngine } from '../src/runtime/node/duckdb/engine.js';
import { FileOfflineAppends } from '../src/runtime/node/file-offline-appends.js';
import { LmdbOnlineStore } from '../src/runtime/node/lmdb/lmdb-online-store.js';
import { nodeSourceLoader } from '../src/runtime/node/node-source-loader.js';
import { createFeatureStore } from '../src/store/feature-store.js';
import { callInPage, startChromium } from '../test/support/chromium.js';
import { fmtMs, latency, ratio } from './measure.js';
import * as definitions from './stream-definitions.js';
import { ingestAndPushRates, PLAIN_FEATURES, STREAM_FEATURES, tripEvents } from './stream-definitions.js';
import { createDuckDbOfflineStore } from '../src/offline/duckdb/duckdb-offline-store.js';
import { viewKeyEncoder } from '../src/online/entity-key.js';
import { STATE_COLUMN, stateViewName } from '../src/stream/ingest.js';
import { windowRowKey } from '../src/stream/window-record.js';

const EVENTS = 100_000;
const DRIVERS = 1_000;
const BATCH = 10_000;

const objects = (Object.values(definitions) as unknown[]).filter(
  (v): v is FeastObject => typeof v === 'object' && v !== null && !Array.isArray(v) && 'kind' in v,
);
const rate = (perSecond: number) => `${Math.round(perSecond).toLocaleString('en-US')} events/s`;

/** The source files the views' batch sources name: one row each, so offline parts have their column types. */
async function writeSources(dir: string): Promise<void> {
  const engine = await createNodeEngine({ engine: 'duckdb-native' });
  try {
    const select = `SELECT 1::BIGINT AS driver_id, TIMESTAMP '2021-01-01' AS event_timestamp, ${definitions.COLUMNS.map((c) => `0.0::DOUBLE AS ${c}`).join(', ')}`;
    for (const file of ['trips.parquet', 'plain.parquet']) writeFileSync(join(dir, file), await engine.export(select, 'parquet'));
  } finally {
    await engine.close();
  }
}

interface Percentiles {
  p50: number;
  p99: number;
}

interface StoreFigures {
  ingest: number;
  push: number;
  /** `fetch`: the online store's own read of the same keys (the stream view's window records, the plain view's rows), where measured. */
  reads: { entities: number; stream: Percentiles; plain: Percentiles; fetch?: { stream: Percentiles; plain: Percentiles } }[];
}

async function benchStore(dir: string, onlineStore: OnlineStore, iterations: number): Promise<StoreFigures> {
  const engine = await createNodeEngine({ engine: 'duckdb-native' });
  const store = createFeatureStore({
    project: 'stream_bench',
    registry: new MemoryRegistryStore(),
    onlineStore,
    definitions: objects,
    registryCacheTtlMs: 60_000,
    offlineStore: createDuckDbOfflineStore({ engine: async () => engine, sources: nodeSourceLoader(dir), appends: new FileOfflineAppends(dir) }),
  });
  try {
    await store.apply(objects);
    const { ingest, push } = await ingestAndPushRates(store, tripEvents(EVENTS, DRIVERS, Date.now()), BATCH);
    const reads = [];
    const encode = viewKeyEncoder(definitions.tripStats);
    for (const entities of [1, 10, 100]) {
      const entityRows = Array.from({ length: entities }, (_, i) => ({ driver_id: 1 + ((i * 37) % DRIVERS) }));
      const stream = await latency(() => store.getOnlineFeatures({ features: STREAM_FEATURES, entityRows }), iterations);
      const plain = await latency(() => store.getOnlineFeatures({ features: PLAIN_FEATURES, entityRows }), iterations);
      // The floor under both: what the store itself takes to hand over the records each read needs.
      const keys = entityRows.map((row) => encode([row.driver_id]));
      const windowKeys = keys.map(windowRowKey);
      const fetch = {
        stream: await latency(() => onlineStore.read('stream_bench', stateViewName('trip_stats'), windowKeys, [STATE_COLUMN]), iterations),
        plain: await latency(() => onlineStore.read('stream_bench', 'trip_latest', keys, definitions.COLUMNS), iterations),
      };
      reads.push({ entities, stream, plain, fetch });
    }
    return { ingest, push, reads };
  } finally {
    await store.close();
  }
}

/**
 * Stream feature views in Node: ingestion throughput into memory and LMDB beside a push of
 * the same events to a plain feature view, and online reads of 6 aggregates over 3 windows
 * beside reads of the plain view's 6 features, all in one run.
 */
export async function benchStream(iterations: number): Promise<string> {
  const root = join(import.meta.dirname, 'tmp', 'stream');
  const lines = ['| store | ingest (stream view, tiles) | push (plain view) | ratio |', '|---|---|---|---|'];
  const readLines = [
    '| store | entities | stream view p50 | p99 | plain view p50 | p99 | stream / plain (p50) | store fetch p50: window records / plain rows |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const [label, open] of [
    ['memory', () => new MemoryOnlineStore()],
    ['LMDB', (dir: string) => new LmdbOnlineStore(join(dir, 'online.lmdb'))],
  ] as const) {
    const dir = join(root, label);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    await writeSources(dir);
    const figures = await benchStore(dir, open(dir), iterations);
    process.stdout.write(`  stream ${label}: ingest ${rate(figures.ingest)} vs plain push ${rate(figures.push)}\n`);
    lines.push(`| ${label} | ${rate(figures.ingest)} | ${rate(figures.push)} | ${ratio(figures.push, figures.ingest)} slower |`);
    for (const r of figures.reads) {
      process.stdout.write(`  stream ${label} ${r.entities} entities: ${fmtMs(r.stream.p50)} vs plain ${fmtMs(r.plain.p50)}\n`);
      const fetch = r.fetch ? `${fmtMs(r.fetch.stream.p50)} / ${fmtMs(r.fetch.plain.p50)} (${ratio(r.fetch.stream.p50, r.fetch.plain.p50)})` : '';
      readLines.push(
        `| ${label} | ${r.entities} | ${fmtMs(r.stream.p50)} | ${fmtMs(r.stream.p99)} | ${fmtMs(r.plain.p50)} | ${fmtMs(r.plain.p99)} | ${ratio(r.stream.p50, r.plain.p50)} | ${fetch} |`,
      );
    }
  }
  const browser = await benchStreamIndexedDb(root, Math.max(50, Math.floor(iterations / 4)));
  if (browser) {
    lines.push(
      `| IndexedDB (Chromium, the Web Worker store) | ${rate(browser.ingest)} | ${rate(browser.push)} | ${ratio(browser.push, browser.ingest)} slower |`,
    );
    for (const r of browser.reads)
      readLines.push(
        `| IndexedDB (Chromium, time inside the worker) | ${r.entities} | ${fmtMs(r.stream.p50)} | ${fmtMs(r.stream.p99)} | ${fmtMs(r.plain.p50)} | ${fmtMs(r.plain.p99)} | ${ratio(r.stream.p50, r.plain.p50)} | |`,
      );
  }
  return [
    '## Stream feature views',
    '',
    `${EVENTS.toLocaleString('en-US')} events over ${DRIVERS.toLocaleString('en-US')} drivers, 100 ms apart, six Float64 columns. The stream view keeps six aggregates over three windows (sum and mean over 10 minutes, max and count over 1 hour, min and last over 1 day) as tiles per driver (allowed lateness 5 minutes: tiles are kept for window + lateness); the baseline pushes the same events to a plain feature view of the same six columns. Both write every event offline (one Parquet part per ${BATCH.toLocaleString('en-US')}-event batch, native DuckDB) and online.`,
    '',
    ...lines,
    '',
    `Online reads, ${iterations} sequential getOnlineFeatures calls per shape (registry document cached 60 s, as a server does), just after the ingest: the stream view looks each aggregate up in the driver's window record (one bytes value of about 1 KB per driver), the plain view reads its row. The last column is the online store's own read of the same keys, the floor under each (window records for the stream view, rows of six float64s for the plain view):`,
    '',
    ...readLines,
    '',
  ].join('\n');
}

/** The same figures for IndexedDB: the feature store in a Web Worker in headless Chromium (DuckDB-WASM writes the offline parts). */
export async function benchStreamIndexedDb(root: string, iterations: number): Promise<StoreFigures | undefined> {
  const dir = join(root, 'indexeddb');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await writeSources(dir);
  const harness = await startChromium({
    entries: { stream: 'bench/browser/stream.entry.ts' },
    files: { '/data/trips.parquet': join(dir, 'trips.parquet'), '/data/plain.parquet': join(dir, 'plain.parquet') },
    webWorkers: {
      '/workers/stream/feature-store.js': { entry: 'targets/feature-store.worker.ts', alias: { 'feast-edge-definitions': 'bench/stream-definitions.ts' } },
    },
  });
  if (!harness) return undefined;
  try {
    const page = await harness.openPage('stream');
    const figures = await callInPage<StoreFigures & { applied: number }>(page, 'benchStreamInWorker', EVENTS, DRIVERS, BATCH, iterations);
    if (figures.applied !== EVENTS) throw new Error(`stream bench: ${figures.applied} of ${EVENTS} events applied in the worker`);
    process.stdout.write(`  stream IndexedDB: ingest ${rate(figures.ingest)} vs plain push ${rate(figures.push)}\n`);
    return figures;
  } finally {
    await harness.close();
  }
}
