import { type CommandParser, createClient, defineScript, type RedisArgument, RESP_TYPES } from 'redis';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../src/definitions/index.js';
import { feastFeatureField, feastRedisKey, feastTimestampField } from '../src/feast/redis-layout.js';
import { decodeTimestamp } from '../src/feast/timestamp-proto.js';
import { decodeValue } from '../src/feast/value-proto.js';
import { decodeValueAt } from '../src/feast/value-proto-decode-at.js';
import { encodeEntityKey, entityKeyToString } from '../src/online/entity-key.js';
import type { OnlineStore } from '../src/online/online-store.js';
import { decodeOnlineRow, encodeOnlineRow } from '../src/online/row-codec.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { FeastRedisOnlineStore } from '../src/runtime/node/redis/feast-redis-online-store.js';
import { FeastDumpRowReader } from '../src/runtime/node/redis/feast-redis-dump-row.js';
import { decodeFeastRows, timestampAt } from '../src/runtime/node/redis/feast-redis-reply.js';
import { DUMP_KEYS, READ_FEAST_ROWS } from '../src/runtime/node/redis/feast-redis-scripts.js';
import { RedisOnlineStore } from '../src/runtime/node/redis/redis-online-store.js';
import { decodeRedisRowInto } from '../src/runtime/node/redis/redis-row-format.js';
import { createFeatureServer } from '../src/server/feature-server.js';
import { createFeatureStore, type FeatureStore } from '../src/store/feature-store.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { systemBinary } from '../test/support/system-binary.js';
import { fmtMs } from './measure.js';

/*
 * The same rows served from one redis-server in both layouts feast-edge reads: its own
 * (one positional row per entity key and view, following a schema id; one MGET per read) and Feast's (one hash per
 * entity key, a field per feature holding a feast.types.Value, each hash DUMPed whole
 * and read in the client). The two are timed in alternation, call by call, so a noisy
 * machine slows both alike; the ratio is the figure to read.
 */

const PROJECT = 'bench';
const POPULATION = 10_000;
const FEATURES = 50;
const BATCHES = [1, 10, 50, 100];
const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const stats = featureView({
  name: 'stats',
  entities: [driver],
  ttl: '0s',
  source: fileSource({ name: 'src', path: 'unused.parquet' }),
  schema: Array.from({ length: FEATURES }, (_, f) => field(`f${f}`, Float64)),
});
const REFS = Array.from({ length: FEATURES }, (_, f) => `stats:f${f}`);
const FEATURE_NAMES = REFS.map((ref) => ref.split(':')[1]);

/** Feast's published p99 (ms) by batch size, 50 features (FEAST_FACTS.md section 10: feast-benchmarks, July 2022, c5.4xlarge, Redis). */
const PUBLISHED: Record<number, { python: number; go: number }> = {
  1: { python: 7.23, go: 4.32 },
  10: { python: 15.14, go: 3.88 },
  50: { python: 50.43, go: 12.32 },
  100: { python: 124.87, go: 22.18 },
};

/**
 * A command shape tried for the Feast layout, here only: per key an HMGET of the
 * requested fields, answered as one bulk string of `<1-byte length><bytes>` items (255:
 * no such field). Values of 255 bytes or more would need a wider prefix; these are 9.
 */
const CONCAT_FIELDS = defineScript({
  SCRIPT: `
local out, n = {}, 0
for k = 1, #KEYS do
  local values = redis.call('HMGET', KEYS[k], unpack(ARGV))
  for i = 1, #values do
    local v = values[i]
    n = n + 1
    if v then out[n] = string.char(#v) .. v else out[n] = '\\255' end
  end
end
return table.concat(out)`,
  parseCommand(parser: CommandParser, keys: readonly RedisArgument[], fields: readonly RedisArgument[]) {
    parser.push(String(keys.length));
    parser.pushKeys(keys as RedisArgument[]);
    parser.push(...fields);
  },
  transformReply: undefined as unknown as () => Buffer,
});

type Percentiles = { p50: number; p99: number; mean: number };

/** Percentiles of each function over `iterations` rounds; each round calls every function once, in an order that rotates. */
async function alternated(fns: readonly (() => Promise<unknown> | unknown)[], iterations: number): Promise<Percentiles[]> {
  const times = fns.map(() => [] as number[]);
  for (let i = -50; i < iterations; i++) {
    for (let j = 0; j < fns.length; j++) {
      const at = (i + fns.length * 50 + j) % fns.length;
      const start = performance.now();
      await fns[at]();
      if (i >= 0) times[at].push(performance.now() - start);
    }
  }
  return times.map((t) => {
    t.sort((a, b) => a - b);
    return { p50: t[Math.floor(t.length * 0.5)], p99: t[Math.floor(t.length * 0.99)], mean: t.reduce((sum, ms) => sum + ms, 0) / t.length };
  });
}

const ids = (entities: number) => Array.from({ length: entities }, (_, i) => (i * 7919) % POPULATION);
const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

async function openStore(onlineStore: OnlineStore): Promise<FeatureStore> {
  const store = createFeatureStore({ project: PROJECT, registry: new MemoryRegistryStore(), onlineStore, registryCacheTtlMs: 60_000 });
  await store.apply([driver, stats]);
  for (let offset = 0; offset < POPULATION; offset += 5_000) {
    const rows = Array.from({ length: 5_000 }, (_, i) => offset + i);
    const columns: Record<string, unknown[]> = { driver_id: rows, event_timestamp: rows.map(() => '2021-04-12T10:00:00Z') };
    for (let f = 0; f < FEATURES; f++) columns[`f${f}`] = rows.map((id) => id + f / 100);
    await store.writeToOnlineStore('stats', columns);
  }
  return store;
}

/** getOnlineFeatures on both layouts of one redis-server, beside Feast's published figures, with a profile of a 100 x 50 read. */
export async function benchRedisLayouts(iterations: number): Promise<string> {
  const binary = systemBinary('redis-server', 'redis-server', ['/usr/bin/redis-server']);
  if (!binary) return '## Redis layouts\n\nNot run: redis-server is not installed (apt-get install -y redis-server).\n';
  const redis = await startRedisServer(binary);
  const ownStore = new RedisOnlineStore({ url: `${redis.url}/0` });
  const feastStore = new FeastRedisOnlineStore({ url: `${redis.url}/1` });
  // The same hashes read by script, the other way the Feast layout reads (see FeastRedisOnlineStoreOptions.reads).
  const scriptStore = new FeastRedisOnlineStore({ url: `${redis.url}/1`, reads: 'script' });
  // Per-command timeouts off, as the stores have them (each costs a timer per command).
  const raw = createClient({
    url: redis.url,
    scripts: { readFeastRows: READ_FEAST_ROWS, dumpKeys: DUMP_KEYS, concatFields: CONCAT_FIELDS },
    commandOptions: { timeout: undefined },
  });
  await raw.connect();
  const buffers = raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  // HGETALL as RESP sends it, fields as Buffers: node-redis would make an object of them, keyed by lossy text.
  const pairs = raw.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.MAP]: Array });
  try {
    const own = await openStore(ownStore);
    const feast = await openStore(feastStore);
    const ownHttp = createFeatureServer(own, { registryTtlSeconds: 60 });
    const feastHttp = createFeatureServer(feast, { registryTtlSeconds: 60 });
    const http = (app: ReturnType<typeof createFeatureServer>, body: string) => async () => {
      const response = await app.request('/get-online-features', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
      if (response.status !== 200) throw new Error(`bench: HTTP ${response.status}: ${await response.text()}`);
      return response.text();
    };

    // Both layouts must answer the same before their times mean anything.
    const sample = { features: REFS, entityRows: { driver_id: [...ids(100), POPULATION + 1] } };
    const [a, b] = [await own.getOnlineFeatures(sample), await feast.getOnlineFeatures(sample)];
    if (JSON.stringify(a.toDict()) !== JSON.stringify(b.toDict())) throw new Error('bench: the two layouts answer differently');

    const lines = [
      '| entities x features | own layout p50 | p99 | Feast layout p50 | p99 | ratio p50 | ratio p99 | Feast Python server p99 (published) | Feast Go server p99 (published) |',
      '|---|---|---|---|---|---|---|---|---|',
    ];
    const httpLines = ['| entities x features | own layout p50 | p99 | Feast layout p50 | p99 | ratio p50 | ratio p99 |', '|---|---|---|---|---|---|---|'];
    for (const entities of BATCHES) {
      const request = { features: REFS, entityRows: { driver_id: ids(entities) } };
      const [o, f] = await alternated([() => own.getOnlineFeatures(request), () => feast.getOnlineFeatures(request)], iterations);
      const published = PUBLISHED[entities];
      lines.push(
        `| ${entities} x ${FEATURES} | ${fmtMs(o.p50)} | ${fmtMs(o.p99)} | ${fmtMs(f.p50)} | ${fmtMs(f.p99)} | **${x(f.p50, o.p50)}** | ${x(f.p99, o.p99)} | ${published.python} ms | ${published.go} ms |`,
      );
      const body = JSON.stringify({ features: REFS, entities: { driver_id: ids(entities) } });
      const [oh, fh] = await alternated([http(ownHttp, body), http(feastHttp, body)], iterations);
      httpLines.push(
        `| ${entities} x ${FEATURES} | ${fmtMs(oh.p50)} | ${fmtMs(oh.p99)} | ${fmtMs(fh.p50)} | ${fmtMs(fh.p99)} | **${x(fh.p50, oh.p50)}** | ${x(fh.p99, oh.p99)} |`,
      );
      process.stdout.write(`  ${entities} x ${FEATURES}: own ${fmtMs(o.p50)}, Feast layout ${fmtMs(f.p50)} (${x(f.p50, o.p50)}); HTTP ${x(fh.p50, oh.p50)}\n`);
    }

    const profile = await profileRead(
      {
        command: (args) => raw.sendCommand(args),
        hGet: (k, f) => buffers.hGet(k, f) as Promise<Buffer | null>,
        hSet: (k, f, v) => raw.hSet(k, f, v),
        mGet: (k) => buffers.mGet(k) as Promise<(Buffer | null)[]>,
        exists: (k) => raw.exists(k),
        hmGet: (k, f) => buffers.hmGet(k, f) as Promise<(Buffer | null)[]>,
        dump: (k) => buffers.dump(k) as Promise<Buffer | null>,
        dumpKeys: (k) => buffers.dumpKeys(k) as Promise<(Buffer | null)[]>,
        readFeastRows: (k, f) => buffers.readFeastRows(k, f) as unknown as Promise<Buffer>,
        concatFields: (k, f) => buffers.concatFields(k, f) as unknown as Promise<Buffer>,
        hGetAll: (k) => pairs.sendCommand(['HGETALL', k]) as Promise<Buffer[]>,
      },
      ownStore,
      feastStore,
      scriptStore,
      iterations,
    );
    return [
      "## Redis layouts: Feast's beside feast-edge's own",
      '',
      `One redis-server, ${POPULATION.toLocaleString('en-US')} entities x ${FEATURES} Float64 features written through each store: feast-edge's own layout (\`RedisOnlineStore\`: one string per entity key and view, its values by position in a schema kept once per view, read with one MGET and one EXISTS per request) and Feast's (\`FeastRedisOnlineStore\`: Feast's hash per entity key, a murmur3-named field per feature holding a \`feast.types.Value\`, read with one Lua call per request that DUMPs every key's hash, each hash then read in the client). getOnlineFeatures through the feature store (registry document cached, as a server does), ${iterations} calls per layout after 50 warm-up calls, the two layouts called in alternation. The ratio is Feast layout / own layout. The published figures are Feast's own servers on Redis (feast-benchmarks, July 2022, c5.4xlarge, 5 concurrent clients at 10 requests/s, over HTTP): another machine and another load, anchors rather than a comparison.`,
      '',
      ...lines,
      '',
      "Through the HTTP server: POST /get-online-features on feast-edge's Hono app, in process (app.request, no socket), the JSON body parsed and the response serialized.",
      '',
      ...httpLines,
      '',
      profile,
    ].join('\n');
  } finally {
    await raw.quit();
    await ownStore.close();
    await feastStore.close();
    await scriptStore.close();
    await redis.stop();
  }
}

/** The raw client's few commands, replies as Buffers. */
interface RawClient {
  command(args: string[]): Promise<unknown>;
  hGet(key: string, field: string): Promise<Buffer | null>;
  hSet(key: string, field: string, value: Buffer): Promise<unknown>;
  mGet(keys: string[]): Promise<(Buffer | null)[]>;
  exists(keys: string[]): Promise<number>;
  hmGet(key: Buffer, fields: Buffer[]): Promise<(Buffer | null)[]>;
  dump(key: Buffer): Promise<Buffer | null>;
  dumpKeys(keys: Buffer[]): Promise<(Buffer | null)[]>;
  readFeastRows(keys: Buffer[], fields: Buffer[]): Promise<Buffer>;
  concatFields(keys: Buffer[], fields: Buffer[]): Promise<Buffer>;
  /** HGETALL as RESP sends it: field, value, field, value... */
  hGetAll(key: Buffer): Promise<Buffer[]>;
}

/** CPU time (µs) redis-server has used, from INFO cpu: its whole work, socket included. */
async function serverCpuMicros(raw: RawClient): Promise<number> {
  const info = String(await raw.command(['INFO', 'cpu']));
  const seconds = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? Number.NaN);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1e6;
}

/** Where a 100 x 50 read's time goes in each layout: the round trip, the client's and the server's CPU, the decoding, the store's read. */
async function profileRead(raw: RawClient, ownStore: OnlineStore, feastStore: OnlineStore, scriptStore: OnlineStore, iterations: number): Promise<string> {
  const entities = 100;
  const keys = ids(entities).map(key);
  const ownKeys = keys.map((k) => `${PROJECT}:stats:${entityKeyToString(k)}`);
  const feastKeys = keys.map((k) => Buffer.from(feastRedisKey(k, PROJECT)));
  const fields = [Buffer.from(feastTimestampField('stats')), ...FEATURE_NAMES.map((f) => Buffer.from(feastFeatureField('stats', f)))];
  const db = async (n: number) => raw.command(['SELECT', String(n)]);

  // The own layout as the store reads it: MGET, and EXISTS of the same keys in the same round trip.
  const mget = () => Promise.all([raw.mGet(ownKeys), raw.exists(ownKeys)]).then(([rows]) => rows);
  // The own layout before schema ids, in database 2: a hash per key, MessagePack of [event, created, {name: value}] in `v`.
  await db(2);
  await Promise.all(
    ownKeys.map((name, r) => {
      const values: Record<string, number> = {};
      FEATURE_NAMES.forEach((feature, f) => {
        values[feature] = ids(entities)[r] + f / 100;
      });
      return raw.hSet(name, 'v', Buffer.from(encodeOnlineRow({ event: 1_618_221_600_000_000n, created: null, values })));
    }),
  );
  const hget = () => Promise.all(ownKeys.map((k) => raw.hGet(k, 'v')));
  const dumpKeys = () => raw.dumpKeys(feastKeys);
  const dumps = () => Promise.all(feastKeys.map((k) => raw.dump(k)));
  const script = () => raw.readFeastRows(feastKeys, fields);
  const hmget = () => Promise.all(feastKeys.map((k) => raw.hmGet(k, fields)));
  const hgetall = () => Promise.all(feastKeys.map((k) => raw.hGetAll(k)));
  const concat = () => raw.concatFields(feastKeys, fields);

  // Round trips on the raw client, each layout in its own database, with the CPU time each side spent per call.
  const roundTrip = async (n: number, fn: () => Promise<unknown>) => {
    await db(n);
    for (let i = 0; i < 50; i++) await fn();
    const server = await serverCpuMicros(raw);
    const client = process.cpuUsage();
    const [time] = await alternated([fn], iterations);
    const used = process.cpuUsage(client);
    // alternated() makes 50 more warm-up calls.
    const calls = iterations + 50;
    return { time, clientCpu: (used.user + used.system) / calls / 1000, serverCpu: ((await serverCpuMicros(raw)) - server) / calls / 1000 };
  };
  const ownTrip = await roundTrip(0, mget);
  const beforeTrip = await roundTrip(2, hget);
  const dumpKeysTrip = await roundTrip(1, dumpKeys);
  const dumpsTrip = await roundTrip(1, dumps);
  const scriptTrip = await roundTrip(1, script);
  const hmgetTrip = await roundTrip(1, hmget);
  const hgetallTrip = await roundTrip(1, hgetall);
  const concatTrip = await roundTrip(1, concat);
  // What DUMP costs a server configured not to compress (rdbcompression no: its RDB snapshots grow too), then put back.
  await raw.command(['CONFIG', 'SET', 'rdbcompression', 'no']);
  const plainDumpKeysTrip = await roundTrip(1, dumpKeys);
  await db(1);
  const plainDumpReplies = (await dumpKeys()) as Buffer[];
  await raw.command(['CONFIG', 'SET', 'rdbcompression', 'yes']);

  // Decoding alone, on replies captured once: no I/O.
  await db(0);
  const ownReplies = (await mget()) as Buffer[];
  await db(2);
  const beforeReplies = (await hget()) as Buffer[];
  const positions = FEATURE_NAMES.map((_, f) => f);
  await db(1);
  const scriptReply = await script();
  const dumpReplies = (await dumpKeys()) as Buffer[];
  const dumpReader = new FeastDumpRowReader(fields);
  const hmgetReplies = await hmget();
  const hgetallReplies = await hgetall();
  const concatReply = await concat();
  const rows = keys.map((_, i) => i);
  const newTarget = () => ({
    eventTimestamps: new Array<bigint | null>(entities).fill(null),
    columns: FEATURE_NAMES.map(() => new Array<unknown>(entities).fill(null)),
  });
  // HGETALL's pairs matched to the requested fields by their bytes (the hash's order is not the request's).
  const fieldAt = new Map(fields.map((f, i) => [f.toString('latin1'), i]));
  const decoders = [
    () => {
      // One schema (id 0) for every row here: the store looks its names up once per read.
      const columns = FEATURE_NAMES.map(() => new Array<unknown>(ownReplies.length));
      ownReplies.forEach((bytes, r) => decodeRedisRowInto(bytes, FEATURES, positions, columns, r));
      return columns;
    },
    () => {
      const decoded = beforeReplies.map((bytes) => decodeOnlineRow(bytes));
      return FEATURE_NAMES.map((f) => decoded.map((row) => row.values[f]));
    },
    () => {
      const target = newTarget();
      dumpReplies.forEach((payload, row) => dumpReader.read(payload, target, row, {}));
      return target;
    },
    () => {
      const target = newTarget();
      decodeFeastRows(scriptReply, rows, fields.length, target, {});
      return target;
    },
    () => hmgetReplies.map((reply) => reply.map((bytes, f) => (bytes ? (f === 0 ? decodeTimestamp(bytes) : decodeValue(bytes)) : null))),
    () => {
      const target = newTarget();
      hgetallReplies.forEach((pairs, row) => {
        for (let i = 0; i < pairs.length; i += 2) {
          const at = fieldAt.get(pairs[i].toString('latin1'));
          const value = pairs[i + 1];
          if (at === 0) target.eventTimestamps[row] = timestampAt(value, 0, value.length);
          else if (at !== undefined) target.columns[at - 1][row] = decodeValueAt(value, 0, value.length);
        }
      });
      return target;
    },
    () => {
      const target = newTarget();
      let p = 0;
      for (let row = 0; row < entities; row++) {
        for (let f = 0; f < fields.length; f++) {
          const length = concatReply[p++];
          if (length === 255) continue;
          if (f === 0) target.eventTimestamps[row] = timestampAt(concatReply, p, p + length);
          else target.columns[f - 1][row] = decodeValueAt(concatReply, p, p + length);
          p += length;
        }
      }
      return target;
    },
    () => {
      const target = newTarget();
      plainDumpReplies.forEach((payload, row) => dumpReader.read(payload, target, row, {}));
      return target;
    },
  ];
  // Every Feast-layout shape must decode to the same rows before its time means anything.
  const expected = JSON.stringify(decoders[2](), (_, v) => (typeof v === 'bigint' ? String(v) : v));
  for (const at of [3, 5, 6, 7]) {
    if (JSON.stringify(decoders[at](), (_, v) => (typeof v === 'bigint' ? String(v) : v)) !== expected)
      throw new Error(`bench: Feast-layout decoder ${at} reads other rows`);
  }
  const [ownDecode, beforeDecode, dumpDecode, scriptDecode, hmgetDecode, hgetallDecode, concatDecode, plainDumpDecode] = await alternated(decoders, iterations);
  const [ownRead, feastRead, scriptRead] = await alternated(
    [
      () => ownStore.read(PROJECT, 'stats', keys, FEATURE_NAMES),
      () => feastStore.read(PROJECT, 'stats', keys, FEATURE_NAMES),
      () => scriptStore.read(PROJECT, 'stats', keys, FEATURE_NAMES),
    ],
    iterations,
  );
  type Trip = Awaited<ReturnType<typeof roundTrip>>;
  const row = (label: string, trip: Trip, decode: Percentiles, read?: Percentiles) =>
    `| ${label} | ${fmtMs(trip.time.p50)} | ${fmtMs(trip.clientCpu)} | ${fmtMs(trip.serverCpu)} | ${fmtMs(decode.p50)} | ${read ? fmtMs(read.p50) : '-'} |`;
  // The Feast-layout floor at this size: Redis' own CPU for the cheapest shape, then that plus the client's CPU for the bare round trip (no decoding).
  const floor = dumpKeysTrip.serverCpu;
  const floorWithClient = dumpKeysTrip.serverCpu + dumpKeysTrip.clientCpu;
  const headroom = 1.3 * ownRead.p50 - dumpKeysTrip.time.p50;
  return [
    `Where a ${entities} x ${FEATURES} read goes (${iterations} calls each). Round trip: the commands alone on a bare node-redis client, replies as Buffers, p50. Client CPU and Redis CPU: the CPU time this process and redis-server spent per round trip (process.cpuUsage, INFO cpu), which a busy machine disturbs less than wall time. Decode: the captured replies decoded alone, no I/O, p50. Store read: the store's read() of the same keys, p50 (keys built, round trip, decode). The Feast layout reads with DUMP_KEYS on one server (one Lua call dumping every key; each hash's listpack inflated from LZF and read in one pass in the client), with one DUMP per key on a cluster, and with READ_FEAST_ROWS where a server's DUMP cannot be read. The other Feast-layout rows are command shapes tried and not taken: pipelined HMGET of the requested fields (how it read at first: each of its ${FEATURES + 1} fields a RESP item, a Buffer and a Value reader, while Redis searches each small hash, a listpack, once per field), pipelined HGETALL (every field a RESP item), a Lua script HMGETting every key and answering one bulk string of length-prefixed values (bench only), and DUMP_KEYS on a server set to \`rdbcompression no\` (a server setting, not feast-edge's to change: its RDB snapshots grow too). The own layout's second row is how it stored and read rows before schema ids (a MessagePack map naming all 50 features in every row), measured in the same run.`,
    '',
    '| read of 100 keys x 50 features | round trip p50 | client CPU | Redis CPU | decode p50 | store read() p50 |',
    '|---|---|---|---|---|---|',
    row('own layout: one MGET + EXISTS (rows by position, a schema id each)', ownTrip, ownDecode, ownRead),
    row('own layout before schema ids: 100 HGET (a MessagePack map of 50 names per row)', beforeTrip, beforeDecode),
    row('Feast layout: DUMP_KEYS, one Lua call (the default on one server)', dumpKeysTrip, dumpDecode, feastRead),
    row('Feast layout: 100 pipelined DUMP (a cluster)', dumpsTrip, dumpDecode),
    row("Feast layout: READ_FEAST_ROWS, one Lua call HMGETting every key, cmsgpack (reads: 'script')", scriptTrip, scriptDecode, scriptRead),
    row('Feast layout: one Lua call HMGETting every key, one bulk string of length-prefixed values', concatTrip, concatDecode),
    row('Feast layout: 100 pipelined HGETALL', hgetallTrip, hgetallDecode),
    row('Feast layout: 100 pipelined HMGET of 51 fields (how it read at first)', hmgetTrip, hmgetDecode),
    row('Feast layout: DUMP_KEYS on a server with `rdbcompression no`', plainDumpKeysTrip, plainDumpDecode),
    '',
    `The bound at ${entities} x ${FEATURES}: 1.3x the own layout's whole read (p50 ${fmtMs(ownRead.p50)}) is ${fmtMs(1.3 * ownRead.p50)}. The cheapest Feast-layout shape that answers in one call, DUMP_KEYS, costs Redis ${fmtMs(floor)} of CPU per read (${x(floor, ownRead.p50)} the own layout's whole read), ${fmtMs(floorWithClient)} (${x(floorWithClient, ownRead.p50)}) with the client's CPU for the bare round trip, and the bare round trip takes ${fmtMs(dumpKeysTrip.time.p50)} (${x(dumpKeysTrip.time.p50, ownRead.p50)}) before a byte is decoded: ${headroom > 0 ? `that leaves ${fmtMs(headroom)} for decoding ${entities} hashes, building keys and answering` : 'over 1.3x with nothing decoded'}. Decoding the ${entities} DUMPs takes ${fmtMs(dumpDecode.p50)}, ${fmtMs(Math.max(0, dumpDecode.p50 - plainDumpDecode.p50))} of it inflating the LZF that DUMP compresses every hash with (the same rows uncompressed decode in ${fmtMs(plainDumpDecode.p50)}); the round trip and the decode together are ${x(dumpKeysTrip.time.p50 + dumpDecode.p50, ownRead.p50)} the own layout's read. The Feast layout's store read is ${x(feastRead.p50, ownRead.p50)} the own layout's in this run.`,
    '',
  ].join('\n');
}
