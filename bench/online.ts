import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Int64, Table, TimestampMicrosecond, makeData, makeVector, vectorFromArray } from 'apache-arrow';
import { open } from 'lmdb';
import { entity, featureView, field, fileSource, Float64 as F64, Int64 as I64 } from '../src/definitions/index.js';
import { encodeEntityKey, entityKeyToString } from '../src/online/entity-key.js';
import { encodeOnlineRow } from '../src/online/row-codec.js';
import { MemoryOnlineStore } from '../src/online/memory-online-store.js';
import type { OnlineStore, OnlineWriteBatch } from '../src/online/online-store.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { NativeDuckDBEngine } from '../src/runtime/node/duckdb/duckdb-native-engine.js';
import { createClient, RESP_TYPES } from 'redis';
import { LmdbOnlineStore } from '../src/runtime/node/lmdb/lmdb-online-store.js';
import { RedisOnlineStore } from '../src/runtime/node/redis/redis-online-store.js';
import { startRedisServer, type RedisServer } from '../test/support/redis-server.js';
import { systemBinary } from '../test/support/system-binary.js';
import { nodeSourceLoader } from '../src/runtime/node/node-source-loader.js';
import { createFeatureStore } from '../src/store/feature-store.js';
import { latency, fmtMs, ratio } from './measure.js';
import { createDuckDbOfflineStore } from '../src/offline/duckdb/duckdb-offline-store.js';

const ENTITIES = 100_000;
const FEATURES = 50;
const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: I64 });
const view = featureView({
  name: 'stats',
  entities: [driver],
  source: fileSource({ name: 'src', path: 'online-source.parquet' }),
  schema: Array.from({ length: FEATURES }, (_, f) => field(`f${f}`, F64)),
});

function sourceTable(rows: number): Table {
  const ts = new BigInt64Array(rows).fill(1_618_221_600_000_000n);
  const columns: Record<string, ReturnType<typeof makeVector>> = {
    driver_id: vectorFromArray(
      Array.from({ length: rows }, (_, i) => BigInt(i)),
      new Int64(),
    ),
    event_timestamp: makeVector(makeData({ type: new TimestampMicrosecond(), length: rows, nullCount: 0, data: new Int32Array(ts.buffer) })),
  };
  for (let f = 0; f < FEATURES; f++)
    columns[`f${f}`] = vectorFromArray(
      Array.from({ length: rows }, (_, i) => i + f / 100),
      new Float64(),
    );
  return new Table(columns);
}

/** 100k rows x 50 features as the store-write batches materialization produces (10k rows each). */
function writeBatches(view: string): OnlineWriteBatch[] {
  const batches: OnlineWriteBatch[] = [];
  for (let offset = 0; offset < ENTITIES; offset += 10_000) {
    const ids = Array.from({ length: 10_000 }, (_, i) => offset + i);
    const features: Record<string, number[]> = {};
    for (let f = 0; f < FEATURES; f++) features[`f${f}`] = ids.map((id) => id + f / 100);
    batches.push({
      view,
      keys: ids.map((id) => encodeEntityKey([{ joinKey: 'driver_id', type: I64, value: id }])),
      eventTimestamps: ids.map(() => 1_618_221_600_000_000n),
      createdTimestamps: ids.map(() => null),
      features,
    });
  }
  return batches;
}

/** Rows per second of `write` over the batches, median of 3 runs (each run rewrites the same keys). */
async function rowsPerSecond(batches: readonly OnlineWriteBatch[], write: (batch: OnlineWriteBatch) => Promise<unknown> | unknown): Promise<number> {
  const rates: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    for (const batch of batches) await write(batch);
    rates.push(ENTITIES / ((performance.now() - started) / 1000));
  }
  return rates.sort((a, b) => a - b)[1];
}

/** Online reads through feast-edge beside the same store's raw batch get, plus materialization throughput. */
export async function benchOnline(iterations: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-bench-online-'));
  const engine = await NativeDuckDBEngine.open();
  // The source is a Parquet file, as in a repo: DuckDB reads it natively on every run.
  await engine.registerArrow('online_source', sourceTable(ENTITIES));
  await engine.exec(`COPY online_source TO '${join(dir, 'online-source.parquet')}' (FORMAT parquet)`);
  await engine.unregister('online_source');
  const lines = ['| store | entities x features | feast-edge p50 | p99 | raw store get p50 | p99 | ratio (p50) |', '|---|---|---|---|---|---|---|'];
  const throughput: string[] = [];
  try {
    const stores: [string, () => OnlineStore, (keys: string[]) => Promise<unknown>, (batch: OnlineWriteBatch) => unknown][] = [];
    const memory = new MemoryOnlineStore();
    const rawMap = new Map<string, unknown[]>();
    // Raw read: the Map lookups of the same keys, no feast-edge request handling.
    const rawRead = new Map<string, unknown[]>();
    for (let id = 0; id < ENTITIES; id++)
      rawRead.set(
        entityKeyToString(encodeEntityKey([{ joinKey: 'driver_id', type: I64, value: id }])),
        Array.from({ length: FEATURES }, (_, f) => id + f / 100),
      );
    stores.push([
      'memory',
      () => memory,
      async (keys) => keys.map((k) => rawRead.get(k)),
      // Raw write: one array of values per key in a Map, no event-time check.
      (batch) => {
        const columns = Object.values(batch.features);
        batch.keys.forEach((key, i) =>
          rawMap.set(
            entityKeyToString(key),
            columns.map((column) => column[i]),
          ),
        );
      },
    ]);
    const lmdbPath = join(dir, 'online.lmdb');
    const lmdb = new LmdbOnlineStore(lmdbPath);
    const rawWrites = open({ path: join(dir, 'raw-writes.lmdb'), compression: false });
    // Raw read: lmdb-js's own get of the same keys' values (its default MessagePack, one array per
    // key, written by the raw-write baseline below), as a program using lmdb-js directly would.
    stores.push([
      'lmdb',
      () => lmdb,
      async (keys) => keys.map((k) => rawWrites.get(`bench/w/${k}`)),
      // Raw write: lmdb-js's own MessagePack of each row's values, one transaction per batch, no event-time check.
      (batch) => {
        const columns = Object.values(batch.features);
        rawWrites.transactionSync(() =>
          batch.keys.forEach((key, i) =>
            rawWrites.putSync(
              `bench/w/${entityKeyToString(key)}`,
              columns.map((column) => column[i]),
            ),
          ),
        );
      },
    ]);
    const batches = writeBatches('write_bench');
    // Redis runs when redis-server is installed (apt-get install -y redis-server), on a server this run starts.
    const redisBinary = systemBinary('redis-server', 'redis-server', ['/usr/bin/redis-server']);
    let redisServer: RedisServer | undefined;
    let closeRawRedis = async () => {};
    if (redisBinary) {
      redisServer = await startRedisServer(redisBinary);
      const redis = new RedisOnlineStore({ url: redisServer.url });
      const client = createClient({ url: redisServer.url });
      await client.connect();
      const buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
      closeRawRedis = async () => {
        await client.quit();
      };
      stores.push([
        'redis',
        () => redis,
        (keys) => buffers.mGet(keys.map((k) => `bench:stats:${k}`)),
        // Raw write: pipelined SET of each row's values (MessagePack), no event-time script.
        async (batch) => {
          const columns = Object.values(batch.features);
          const pipeline = client.multi();
          batch.keys.forEach((key, i) =>
            pipeline.set(
              `bench:w:${entityKeyToString(key)}`,
              Buffer.from(encodeOnlineRow({ event: batch.eventTimestamps[i], created: null, values: { v: columns.map((c) => c[i]) } })),
            ),
          );
          await pipeline.execAsPipeline();
        },
      ]);
    }
    for (const [label, get, rawGet, rawWrite] of stores) {
      // A server reuses the registry document between requests (registry_ttl_sec in Feast).
      const store = createFeatureStore({
        project: 'bench',
        registry: new MemoryRegistryStore(),
        offlineStore: createDuckDbOfflineStore({ engine: async () => engine, sources: nodeSourceLoader(dir) }),
        onlineStore: get(),
        registryCacheTtlMs: 60_000,
      });
      await store.apply([driver, view]);
      // Median of 3 runs: each re-materializes the same window (the same rows replace themselves).
      const runs: number[] = [];
      for (let run = 0; run < 3; run++) {
        const started = performance.now();
        await store.materialize({ start: '2021-01-01T00:00:00Z', end: '2021-12-31T00:00:00Z' });
        runs.push((performance.now() - started) / 1000);
      }
      const seconds = runs.sort((a, b) => a - b)[1];
      const ours = await rowsPerSecond(batches, (batch) => get().write('bench', batch));
      const base = await rowsPerSecond(batches, rawWrite);
      const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} rows/s`;
      throughput.push(`| ${label} | ${rate(ENTITIES / seconds)} | ${rate(ours)} | ${rate(base)} | ${ratio(base, ours)} |`);
      process.stdout.write(`  ${label} materialize ${rate(ENTITIES / seconds)}, store write ${rate(ours)} vs raw ${rate(base)}\n`);
      for (const entities of [1, 10, 100]) {
        for (const features of [10, 50]) {
          const ids = Array.from({ length: entities }, (_, i) => (i * 7919) % ENTITIES);
          const refs = Array.from({ length: features }, (_, f) => `stats:f${f}`);
          const hexKeys = ids.map((id) => entityKeyToString(encodeEntityKey([{ joinKey: 'driver_id', type: I64, value: id }])));
          const ours = await latency(() => store.getOnlineFeatures({ features: refs, entityRows: { driver_id: ids } }), iterations);
          const base = await latency(() => rawGet(hexKeys), iterations);
          lines.push(
            `| ${label} | ${entities} x ${features} | ${fmtMs(ours.p50)} | ${fmtMs(ours.p99)} | ${fmtMs(base.p50)} | ${fmtMs(base.p99)} | ${ratio(ours.p50, base.p50)} |`,
          );
          process.stdout.write(`  ${label} ${entities}x${features}: ${fmtMs(ours.p50)} vs raw ${fmtMs(base.p50)}\n`);
        }
      }
    }
    await rawWrites.close();
    for (const [label, get] of stores) if (label === 'redis') await get().close();
    await closeRawRedis();
    await redisServer?.stop();
    await lmdb.close();
  } finally {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    '## Online reads',
    '',
    `getOnlineFeatures (key encoding, plan lookup, one batch read, statuses, response; registry document cached for 60 s as a server does) beside the store's own batch get of the same keys, ${iterations} sequential calls after 50 warm-up calls. The raw memory baseline is a Map lookup of the same keys (values kept as one array per key); the raw LMDB baseline is lmdb-js's own synchronous get of the same keys holding the same 50 values (its default MessagePack, one array per key), as a program using lmdb-js directly would read them; the raw Redis baseline is one MGET of the same keys on the same server (rows as Buffers, not decoded).`,
    '',
    ...lines,
    '',
    '## Materialization throughput',
    '',
    `End to end: materialize() of ${ENTITIES.toLocaleString('en-US')} rows x ${FEATURES} features from a Parquet file (median of 3 runs of the same window) (native DuckDB computes the latest row per key, the rows stream to the store in 10k-row batches). Store write: the same rows given to the store's write() in 10k-row batches (key check, event-time rule, encoding, commit), median of 3 runs, beside the raw baseline: the backend's own put of each row's values with no event-time check. The ratio is how many times slower the store's write is than the raw put.`,
    '',
    '| store | materialize (end to end) | store write | raw put | ratio |',
    '|---|---|---|---|---|',
    ...throughput,
    '',
  ].join('\n');
}
