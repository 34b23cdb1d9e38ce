import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../src/definitions/index.js';
import type { OnlineStore } from '../src/online/online-store.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { LmdbOnlineStore } from '../src/runtime/node/lmdb/lmdb-online-store.js';
import { RedisOnlineStore } from '../src/runtime/node/redis/redis-online-store.js';
import { createFeatureStore } from '../src/store/feature-store.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { systemBinary } from '../test/support/system-binary.js';
import { fmtMs } from './measure.js';

/*
 * A one-off comparison, not a suite of `npm run bench`: the Redis store of another
 * commit (the layout before schema ids) beside this one and LMDB, on the same data,
 * called in rotation in one process, so the ratios come from one run. The other
 * commit's source comes from REDIS_BEFORE_SRC, a directory holding its src/:
 *   mkdir -p /tmp/before && git archive d5c5051 src | tar -x -C /tmp/before && ln -s "$PWD/node_modules" /tmp/before/node_modules
 *   REDIS_BEFORE_SRC=/tmp/before npx tsx bench/redis-layout-before-after.ts
 */
const before = process.env.REDIS_BEFORE_SRC;
if (!before) throw new Error("set REDIS_BEFORE_SRC to a directory holding the other commit's src/ (see the comment above)");
const { RedisOnlineStore: BeforeStore } = (await import(`${before}/src/runtime/node/redis/redis-online-store.ts`)) as {
  RedisOnlineStore: new (options: { url: string }) => OnlineStore;
};
const POP = 10_000;
const FEATURES = 50;
const iterations = Number(process.env.BENCH_ITERATIONS ?? 1000);
const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const stats = featureView({
  name: 'stats',
  entities: [driver],
  ttl: '0s',
  source: fileSource({ name: 's', path: 'x.parquet' }),
  schema: Array.from({ length: FEATURES }, (_, f) => field(`f${f}`, Float64)),
});
const REFS = Array.from({ length: FEATURES }, (_, f) => `stats:f${f}`);
const ids = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919) % POP);
async function open(online: OnlineStore) {
  const store = createFeatureStore({ project: 'bench', registry: new MemoryRegistryStore(), onlineStore: online, registryCacheTtlMs: 60_000 });
  await store.apply([driver, stats]);
  for (let off = 0; off < POP; off += 5000) {
    const rows = Array.from({ length: 5000 }, (_, i) => off + i);
    const cols: Record<string, unknown[]> = { driver_id: rows, event_timestamp: rows.map(() => '2021-04-12T10:00:00Z') };
    for (let f = 0; f < FEATURES; f++) cols[`f${f}`] = rows.map((id) => id + f / 100);
    await store.writeToOnlineStore('stats', cols);
  }
  return store;
}
const redis = await startRedisServer(systemBinary('redis-server', 'redis-server', ['/usr/bin/redis-server']) ?? 'redis-server');
const dir = mkdtempSync(join(tmpdir(), 'rl-ba-'));
const stores = {
  lmdb: await open(new LmdbOnlineStore(join(dir, 'db'))),
  after: await open(new RedisOnlineStore({ url: `${redis.url}/0` })),
  before: await open(new BeforeStore({ url: `${redis.url}/1` })),
};
const names = Object.keys(stores) as (keyof typeof stores)[];
for (const n of [1, 100]) {
  const request = { features: REFS, entityRows: { driver_id: ids(n) } };
  const a = JSON.stringify((await stores.after.getOnlineFeatures(request)).toDict());
  if (
    a !== JSON.stringify((await stores.before.getOnlineFeatures(request)).toDict()) ||
    a !== JSON.stringify((await stores.lmdb.getOnlineFeatures(request)).toDict())
  )
    throw new Error('answers differ');
  const times: Record<string, number[]> = { lmdb: [], after: [], before: [] };
  for (let i = -50; i < iterations; i++)
    for (let j = 0; j < 3; j++) {
      const name = names[(i + 150 + j) % 3];
      const t = performance.now();
      await stores[name].getOnlineFeatures(request);
      if (i >= 0) times[name].push(performance.now() - t);
    }
  const p = (name: string, q: number) => {
    const t = times[name].sort((x, y) => x - y);
    return t[Math.floor(t.length * q)];
  };
  console.log(
    `${n} x 50: lmdb p50 ${fmtMs(p('lmdb', 0.5))}; redis before p50 ${fmtMs(p('before', 0.5))} (${(p('before', 0.5) / p('lmdb', 0.5)).toFixed(2)}x lmdb), p99 ${fmtMs(p('before', 0.99))}; redis after p50 ${fmtMs(p('after', 0.5))} (${(p('after', 0.5) / p('lmdb', 0.5)).toFixed(2)}x lmdb), p99 ${fmtMs(p('after', 0.99))}; after/before ${(p('after', 0.5) / p('before', 0.5)).toFixed(2)}x`,
  );
}
for (const s of Object.values(stores)) await s.close();
await redis.stop();
rmSync(dir, { recursive: true, force: true });
