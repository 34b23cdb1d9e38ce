import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../src/definitions/index.js';
import type { OnlineStore } from '../src/online/online-store.js';
import { MemoryRegistryStore } from '../src/registry/memory-store.js';
import { LmdbOnlineStore } from '../src/runtime/node/lmdb/lmdb-online-store.js';
import { RedisOnlineStore } from '../src/runtime/node/redis/redis-online-store.js';
import { createFeatureServer } from '../src/server/feature-server.js';
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
const apps = Object.fromEntries(names.map((name) => [name, createFeatureServer(stores[name], { registryTtlSeconds: 60 })])) as Record<
  keyof typeof stores,
  ReturnType<typeof createFeatureServer>
>;

/** p50 and p99 (ms) per store of `call`, the stores called in rotation. */
async function rotate(call: (name: keyof typeof stores) => Promise<unknown>): Promise<Record<string, { p50: number; p99: number }>> {
  const times: Record<string, number[]> = { lmdb: [], after: [], before: [] };
  for (let i = -50; i < iterations; i++)
    for (let j = 0; j < names.length; j++) {
      const name = names[(i + 150 + j) % names.length];
      const t = performance.now();
      await call(name);
      if (i >= 0) times[name].push(performance.now() - t);
    }
  const out: Record<string, { p50: number; p99: number }> = {};
  for (const [name, t] of Object.entries(times)) {
    t.sort((x, y) => x - y);
    out[name] = { p50: t[Math.floor(t.length * 0.5)], p99: t[Math.floor(t.length * 0.99)] };
  }
  return out;
}

const line = (label: string, r: Record<string, { p50: number; p99: number }>) =>
  `${label}: lmdb p50 ${fmtMs(r.lmdb.p50)}; redis before p50 ${fmtMs(r.before.p50)} (${(r.before.p50 / r.lmdb.p50).toFixed(2)}x lmdb), p99 ${fmtMs(r.before.p99)}; redis after p50 ${fmtMs(r.after.p50)} (${(r.after.p50 / r.lmdb.p50).toFixed(2)}x lmdb), p99 ${fmtMs(r.after.p99)}; after/before ${(r.after.p50 / r.before.p50).toFixed(2)}x`;

for (const n of [1, 100]) {
  const request = { features: REFS, entityRows: { driver_id: ids(n) } };
  const answers = await Promise.all(names.map(async (name) => JSON.stringify((await stores[name].getOnlineFeatures(request)).toDict())));
  if (new Set(answers).size !== 1) throw new Error('bench: the stores answer differently');
  console.log(line(`${n} x ${FEATURES} getOnlineFeatures`, await rotate((name) => stores[name].getOnlineFeatures(request))));
  // The feature server in process (app.request: body parsed, response serialized, no socket).
  const body = JSON.stringify({ features: REFS, entities: { driver_id: ids(n) } });
  const post = async (name: keyof typeof stores) => {
    const response = await apps[name].request('/get-online-features', { method: 'POST', body, headers: { 'Content-Type': 'application/json' } });
    if (response.status !== 200) throw new Error(`bench: HTTP ${response.status}`);
    return response.text();
  };
  console.log(line(`${n} x ${FEATURES} POST /get-online-features`, await rotate(post)));
}
for (const s of Object.values(stores)) await s.close();
await redis.stop();
rmSync(dir, { recursive: true, force: true });
