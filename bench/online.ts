import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Int64, Table, TimestampMicrosecond, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { open } from 'lmdb';
import { entity, featureView, field, fileSource, Float64 as F64, Int64 as I64 } from '../src/definitions/index.js';
import { encodeEntityKey, entityKeyToString } from '../src/online/entity-key.js';
import { MemoryOnlineStore } from '../src/online/memory-online-store.js';
import type { OnlineStore } from '../src/online/online-store.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { NativeDuckDBEngine } from '../src/runtime/node/duckdb-native-engine.js';
import { LmdbOnlineStore } from '../src/runtime/node/lmdb-online-store.js';
import { createFeatureStore } from '../src/store/feature-store.js';
import { fmtMs, ratio } from './measure.js';

const ENTITIES = 100_000;
const FEATURES = 50;
const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: I64 });
const view = featureView({ name: 'stats', entities: [driver], source: fileSource({ name: 'src', path: 'x.parquet' }),
  schema: Array.from({ length: FEATURES }, (_, f) => field(`f${f}`, F64)) });

/** Latency percentiles (ms) of `iterations` sequential calls. */
async function latency(fn: () => Promise<unknown>, iterations: number): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 50; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length * 0.5)], p99: times[Math.floor(times.length * 0.99)] };
}

function sourceTable(rows: number): Table {
  const ts = new BigInt64Array(rows).fill(1_618_221_600_000_000n);
  const columns: Record<string, ReturnType<typeof makeVector>> = {
    driver_id: vectorFromArray(Array.from({ length: rows }, (_, i) => BigInt(i)), new Int64()),
    event_timestamp: makeVector(makeData({ type: new TimestampMicrosecond(), length: rows, nullCount: 0, data: new Int32Array(ts.buffer) })),
  };
  for (let f = 0; f < FEATURES; f++) columns[`f${f}`] = vectorFromArray(Array.from({ length: rows }, (_, i) => i + f / 100), new Float64());
  return new Table(columns);
}

/** Online reads through feast-edge beside the same store's raw batch get, plus materialization throughput. */
export async function benchOnline(iterations: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-bench-online-'));
  const engine = await NativeDuckDBEngine.open();
  const lines = [
    '| store | entities x features | feast-edge p50 | p99 | raw store get p50 | p99 | ratio (p50) |',
    '|---|---|---|---|---|---|---|',
  ];
  const throughput: string[] = [];
  try {
    const stores: [string, () => OnlineStore, (keys: string[]) => Promise<unknown>][] = [];
    const memory = new MemoryOnlineStore();
    // The raw baseline reads the same Map the store uses, through its own read path minus feast-edge's work.
    stores.push(['memory', () => memory, async (keys) => memory.read('bench', 'stats', keys.map((k) => Uint8Array.from(k.match(/../g)!.map((h) => parseInt(h, 16)))), ['f0'])]);
    const lmdbPath = join(dir, 'online.lmdb');
    const lmdb = new LmdbOnlineStore(lmdbPath);
    const raw = open({ path: lmdbPath, compression: false });
    stores.push(['lmdb', () => lmdb, (keys) => raw.getMany(keys.map((k) => `bench/stats/${k}`))]);
    for (const [label, get, rawGet] of stores) {
      // A server reuses the registry document between requests (registry_ttl_sec in Feast).
      const store = createFeatureStore({ project: 'bench', registry: new MemoryRegistryStore(), engine: async () => engine, onlineStore: get(), registryCacheTtlMs: 60_000 });
      await store.apply([driver, view]);
      store.registerSourceData('src', sourceTable(ENTITIES));
      const started = performance.now();
      await store.materialize({ start: '2021-01-01T00:00:00Z', end: '2021-12-31T00:00:00Z' });
      const seconds = (performance.now() - started) / 1000;
      throughput.push(`| ${label} | ${ENTITIES.toLocaleString('en-US')} rows x ${FEATURES} features | ${fmtMs(seconds * 1000)} | ${Math.round(ENTITIES / seconds).toLocaleString('en-US')} rows/s |`);
      for (const entities of [1, 10, 100]) {
        for (const features of [10, 50]) {
          const ids = Array.from({ length: entities }, (_, i) => (i * 7919) % ENTITIES);
          const refs = Array.from({ length: features }, (_, f) => `stats:f${f}`);
          const hexKeys = ids.map((id) => entityKeyToString(encodeEntityKey([{ joinKey: 'driver_id', type: I64, value: id }])));
          const ours = await latency(() => store.getOnlineFeatures({ features: refs, entityRows: { driver_id: ids } }), iterations);
          const base = await latency(() => rawGet(hexKeys), iterations);
          lines.push(`| ${label} | ${entities} x ${features} | ${fmtMs(ours.p50)} | ${fmtMs(ours.p99)} | ${fmtMs(base.p50)} | ${fmtMs(base.p99)} | ${ratio(ours.p50, base.p50)} |`);
          process.stdout.write(`  ${label} ${entities}x${features}: ${fmtMs(ours.p50)} vs raw ${fmtMs(base.p50)}\n`);
        }
      }
    }
    await raw.close();
    await lmdb.close();
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    '## Online reads', '',
    `getOnlineFeatures (key encoding, plan lookup, one batch read, statuses, response; registry document cached for 60 s as a server does) beside the store's own batch get of the same keys, ${iterations} sequential calls after 50 warm-up calls. The raw memory baseline is the store's read without feast-edge's request handling; the raw LMDB baseline is lmdb-js getMany on the same keys.`, '',
    ...lines, '',
    '## Materialization throughput', '',
    'Latest row per key over a source already in DuckDB (native), written to the store in 10k-row batches.', '',
    '| store | rows | time | throughput |', '|---|---|---|---|', ...throughput, '',
  ].join('\n');
}
