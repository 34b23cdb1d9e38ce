import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createClient, createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../../src/definitions/index.js';
import { encodeEntityKey, entityKeyToString } from '../../src/online/entity-key.js';
import { encodeOnlineRow } from '../../src/online/row-codec.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { RedisOnlineStore } from '../../src/runtime/node/redis/redis-online-store.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { redisCommand, startRedisCluster, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { systemBinary } from '../support/system-binary.js';

const binary = systemBinary('redis-server', 'redis-server');
const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
const T0 = 1_618_221_600_000_000n; // 2021-04-12T10:00:00Z
const STORE_MODULE = pathToFileURL(resolve('src/runtime/node/redis/redis-online-store.ts')).href;
const KEY_MODULE = pathToFileURL(resolve('src/online/entity-key.ts')).href;
const TYPES_MODULE = pathToFileURL(resolve('src/definitions/value-type.ts')).href;

/** Runs `body` in a separate Node process (TypeScript through tsx) and answers what it printed. */
function inChildProcess(body: string): Promise<string> {
  const script = `
import { RedisOnlineStore } from ${JSON.stringify(STORE_MODULE)};
import { encodeEntityKey } from ${JSON.stringify(KEY_MODULE)};
import { Int64 } from ${JSON.stringify(TYPES_MODULE)};
const key = (id) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
${body}`;
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.on('error', fail);
    child.on('exit', (code) => (code === 0 ? done(out) : fail(new Error(`child exited ${code}: ${err}`))));
  });
}

/** A row as the store wrote it before schema ids: MessagePack of the names and values in `v`, the times as offset 32-bit halves. */
async function oldRow(
  client: { hSet(key: string, fields: Record<string, string | Buffer>): Promise<unknown> },
  name: string,
  event: bigint,
  values: Record<string, unknown>,
) {
  const offset = event + 2n ** 63n;
  await client.hSet(name, {
    eh: String(offset >> 32n),
    el: String(offset & 0xffff_ffffn),
    ch: '-1',
    cl: '0',
    v: Buffer.from(encodeOnlineRow({ event, created: null, values })),
  });
}

describe.skipIf(!binary)('Redis own layout: schemas per view', () => {
  let redis: RedisServer;
  let cluster: RedisServer;
  beforeAll(async () => {
    [redis, cluster] = await Promise.all([startRedisServer(binary!), startRedisCluster(binary!, 2)]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), cluster?.stop()]);
  });

  it('shares a view schemas between processes: each reads rows the other wrote under a schema it had not seen', async () => {
    const url = `${redis.url}/1`;
    const parent = new RedisOnlineStore({ url });
    await parent.write('p', { view: 'shared', keys: [key(1), key(2)], eventTimestamps: [T0, T0], features: { a: [1.5, 2.5], b: ['x', 'y'] } });
    // The child starts with no schema in memory: it reads the parent's rows, then writes under a new schema (b, c).
    const printed = await inChildProcess(`
const store = new RedisOnlineStore({ url: ${JSON.stringify(url)} });
const read = await store.read('p', 'shared', [key(2), key(1)], ['b', 'a']);
await store.write('p', { view: 'shared', keys: [key(3)], eventTimestamps: [${T0 + 1n}n], features: { b: ['z'], c: [true] } });
await store.close();
console.log(JSON.stringify(read.values));`);
    expect(JSON.parse(printed)).toEqual({ b: ['y', 'x'], a: [2.5, 1.5] });
    // The parent knows schema 0 only; the child's row names schema 1, which it loads.
    const read = await parent.read('p', 'shared', [key(1), key(2), key(3), key(4)], ['a', 'b', 'c']);
    expect(read).toEqual({
      eventTimestamps: [T0, T0, T0 + 1n, null],
      values: { a: [1.5, 2.5, null, null], b: ['x', 'y', 'z', null], c: [null, null, true, null] },
    });
    expect(await redisCommand(redis.port, ['LLEN', 'p:shared'], { db: 1 })).toBe('2');
    expect(await redisCommand(redis.port, ['LINDEX', 'p:shared', '0'], { db: 1 })).toBe('["a","b"]');
    expect(await redisCommand(redis.port, ['LINDEX', 'p:shared', '1'], { db: 1 })).toBe('["b","c"]');
    await parent.close();
  });

  it('gives two stores registering schemas at once one id each, and a third store reads both', async () => {
    const url = `${redis.url}/2`;
    const [one, two, three] = [new RedisOnlineStore({ url }), new RedisOnlineStore({ url }), new RedisOnlineStore({ url })];
    await Promise.all([
      one.write('p', { view: 'race', keys: [key(1)], eventTimestamps: [T0], features: { p: [1], q: [2] } }),
      two.write('p', { view: 'race', keys: [key(2)], eventTimestamps: [T0], features: { q: [20], r: [30] } }),
    ]);
    expect(await redisCommand(redis.port, ['LLEN', 'p:race'], { db: 2 })).toBe('2');
    expect((await three.read('p', 'race', [key(1), key(2)], ['r', 'q', 'p'])).values).toEqual({ r: [null, 30], q: [2, 20], p: [1, null] });
    // The same names again reuse an id: no third schema.
    await one.write('p', { view: 'race', keys: [key(3)], eventTimestamps: [T0], features: { q: [200], r: [300] } });
    expect(await redisCommand(redis.port, ['LLEN', 'p:race'], { db: 2 })).toBe('2');
    await Promise.all([one.close(), two.close(), three.close()]);
  });

  it('reads rows written before a view gained a feature by name: the new feature null, the others right', async () => {
    const online = new RedisOnlineStore({ url: `${redis.url}/3` });
    const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
    const source = fileSource({ name: 'src', path: 'x.parquet' });
    const before = featureView({ name: 'stats', entities: [driver], source, schema: [field('conv_rate', Float64), field('trips', Int64)] });
    // acc_rate goes between the two: a reader by position alone would take trips for it.
    const after = featureView({
      name: 'stats',
      entities: [driver],
      source,
      schema: [field('conv_rate', Float64), field('acc_rate', Float64), field('trips', Int64)],
    });
    const store = createFeatureStore({ project: 'grow', registry: new MemoryRegistryStore(), onlineStore: online });
    await store.apply([driver, before]);
    await store.writeToOnlineStore('stats', [
      { driver_id: 1, event_timestamp: '2021-04-12T09:00:00Z', conv_rate: 0.5, trips: 3 },
      { driver_id: 2, event_timestamp: '2021-04-12T09:00:00Z', conv_rate: 0.25, trips: 7 },
    ]);
    await store.apply([driver, after]);
    await store.writeToOnlineStore('stats', [{ driver_id: 2, event_timestamp: '2021-04-12T10:00:00Z', conv_rate: 0.75, acc_rate: 0.125, trips: 8 }]);
    const response = await store.getOnlineFeatures({
      features: ['stats:conv_rate', 'stats:acc_rate', 'stats:trips'],
      entityRows: [{ driver_id: 1 }, { driver_id: 2 }, { driver_id: 3 }],
    });
    expect(response.toDict()).toEqual({ driver_id: [1, 2, 3], conv_rate: [0.5, 0.75, null], acc_rate: [null, 0.125, null], trips: [3, 8, null] });
    const wire = response.toWire();
    // Driver 1's row exists without acc_rate: a null value, not a missing entity.
    expect(wire.results[2].statuses).toEqual(['NULL_VALUE', 'PRESENT', 'NOT_FOUND']);
    expect(wire.results[1].statuses).toEqual(['PRESENT', 'PRESENT', 'NOT_FOUND']);
    expect(wire.results[3].statuses).toEqual(['PRESENT', 'PRESENT', 'NOT_FOUND']);
    await store.close();
  });

  describe('rows of the layout before schema ids (a hash per key)', () => {
    const db = 4;
    let raw: ReturnType<typeof createClient>;
    const writeOldRow = (name: string, event: bigint, values: Record<string, unknown>) => oldRow(raw, name, event, values);
    beforeAll(async () => {
      raw = createClient({ url: `${redis.url}/${db}` });
      await raw.connect();
    });
    afterAll(async () => {
      await raw.quit();
    });

    it('reads them by name, alone (GET) or among others (MGET), then rewrites each in the new layout with its expiry', async () => {
      const names = [1, 3].map((id) => `p:legacy:${entityKeyToString(key(id))}`);
      await writeOldRow(names[0], T0, { conv: 0.5, label: 'a', n: 3n });
      await writeOldRow(names[1], T0 + 1n, { label: 'c', conv: -1.25 });
      await raw.pExpire(names[0], 100_000);
      const store = new RedisOnlineStore({ url: `${redis.url}/${db}` });
      const features = ['label', 'missing', 'conv'];
      const one = { eventTimestamps: [T0], values: { label: ['a'], missing: [null], conv: [0.5] } };
      const two = { eventTimestamps: [null, T0 + 1n], values: { label: [null, 'c'], missing: [null, null], conv: [null, -1.25] } };
      expect(await store.read('p', 'legacy', [key(1)], features)).toEqual(one);
      expect(await store.read('p', 'legacy', [key(2), key(3)], features)).toEqual(two);
      expect(await raw.type(names[0])).toBe('string');
      expect(await raw.type(names[1])).toBe('string');
      const ttl = await raw.pTTL(names[0]);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(100_000);
      // Without an expiry before, none after.
      expect(await raw.pTTL(names[1])).toBe(-1);
      // Read again, now from the new layout, by this store and by a new one.
      expect(await store.read('p', 'legacy', [key(1)], features)).toEqual(one);
      expect(await store.read('p', 'legacy', [key(2), key(3)], features)).toEqual(two);
      const other = new RedisOnlineStore({ url: `${redis.url}/${db}` });
      expect((await other.read('p', 'legacy', [key(1), key(3)], ['n', 'label'])).values).toEqual({ n: [3n, null], label: ['a', 'c'] });
      await Promise.all([store.close(), other.close()]);
    });

    it('keeps the event-time rule against them: an older write is skipped, a newer one replaces the hash', async () => {
      const name = `p:legacy2:${entityKeyToString(key(5))}`;
      // 2^53 + 1: above what a double holds exactly, so the halves must be compared, not the sum.
      const event = 2n ** 53n + 1n;
      await writeOldRow(name, event, { x: 'old' });
      const store = new RedisOnlineStore({ url: `${redis.url}/${db}` });
      const write = (at: bigint, x: string) => store.write('p', { view: 'legacy2', keys: [key(5)], eventTimestamps: [at], features: { x: [x] } });
      expect(await write(event - 1n, 'older')).toEqual({ written: 0, skipped: 1 });
      expect(await raw.type(name)).toBe('hash');
      expect(await write(event + 1n, 'newer')).toEqual({ written: 1, skipped: 0 });
      expect(await raw.type(name)).toBe('string');
      expect(await store.read('p', 'legacy2', [key(5)], ['x'])).toEqual({ eventTimestamps: [event + 1n], values: { x: ['newer'] } });
      await store.close();
    });
  });

  it('on a cluster, reads old-layout rows a key per slot (GET) and many per slot (MGET), beside new rows', async () => {
    const raw = createCluster({ rootNodes: cluster.nodes.map((node) => ({ url: `redis://${node}` })) });
    await raw.connect();
    // No hash tag: each key its own slot. The tag {t}: puts a view's keys in one slot.
    for (const prefix of ['', '{t}:']) {
      const store = new RedisOnlineStore({ clusterNodes: cluster.nodes, keyPrefix: prefix });
      await store.write('p', { view: 'mixed', keys: [key(1)], eventTimestamps: [T0], features: { x: ['new'], y: [1] } });
      await oldRow(raw, `${prefix}p:mixed:${entityKeyToString(key(2))}`, T0 + 2n, { y: 2, x: 'old' });
      const read = await store.read('p', 'mixed', [key(2), key(3), key(1)], ['x', 'y']);
      expect(read).toEqual({ eventTimestamps: [T0 + 2n, null, T0], values: { x: ['old', null, 'new'], y: [2, null, 1] } });
      expect(await raw.type(`${prefix}p:mixed:${entityKeyToString(key(2))}`)).toBe('string');
      expect((await store.read('p', 'mixed', [key(2)], ['y'])).values.y).toEqual([2]);
      await store.close();
    }
    await raw.close();
  });

  it('refuses rows whose schema is gone rather than guess, telling the user to materialize again', async () => {
    const url = `${redis.url}/5`;
    const writer = new RedisOnlineStore({ url });
    await writer.write('p', { view: 'lost', keys: [key(1)], eventTimestamps: [T0], features: { x: [1] } });
    await writer.close();
    await redisCommand(redis.port, ['DEL', 'p:lost'], { db: 5 });
    const reader = new RedisOnlineStore({ url });
    const attempt = reader.read('p', 'lost', [key(1)], ['x']);
    await expect(attempt).rejects.toMatchObject({ name: 'OnlineStoreRowError' });
    await expect(attempt).rejects.toThrow(/p:lost .*lacks an id its rows name \(0\).*materialize the view again/);
    await reader.close();
  });

  it('refuses bytes that are not a row, naming the key, rather than return values from them', async () => {
    const url = `${redis.url}/6`;
    const store = new RedisOnlineStore({ url });
    await store.write('p', { view: 'bad', keys: [key(1)], eventTimestamps: [T0], features: { x: [1] } });
    const name = (id: number) => `p:bad:${entityKeyToString(key(id))}`;
    await redisCommand(redis.port, ['SET', name(2), 'garbage'], { db: 6 });
    // Long enough for a row, but its schema id bytes ('aaaa') name no schema of the view.
    await redisCommand(redis.port, ['SET', name(3), 'a'.repeat(40)], { db: 6 });
    // A hash whose payload is no row of the layout before schema ids.
    await redisCommand(redis.port, ['HSET', name(4), 'v', 'x'], { db: 6 });
    for (const [id, why] of [
      [2, '7 bytes are not a row'],
      [3, 'lacks an id its rows name'],
      [4, 'holds no row of the layout before schema ids'],
    ] as const) {
      const attempt = store.read('p', 'bad', [key(1), key(id)], ['x']);
      await expect(attempt).rejects.toMatchObject({ name: 'OnlineStoreRowError' });
      await expect(attempt).rejects.toThrow(why);
    }
    expect((await store.read('p', 'bad', [key(1)], ['x'])).values.x).toEqual([1]);
    await store.close();
  });
});
