import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Float32, Int64, String as Str } from '../../src/definitions/index.js';
import { feastCreatedField, feastFeatureField, feastRedisKey, feastTimestampField } from '../../src/feast/redis-layout.js';
import { encodeTimestamp } from '../../src/feast/timestamp-proto.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { FeastRedisOnlineStore } from '../../src/runtime/node/redis/feast-redis-online-store.js';
import { runOnlineStoreContract } from '../online/store-contract.js';
import { redisCommand, startRedisCluster, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { systemBinary } from '../support/system-binary.js';
import { expectFeastAnswer } from './feast-answer-reads.js';
import {
  expectedValue,
  fromHex,
  readJsonFixture,
  REPOS,
  toHex,
  viewReads,
  viewSchemas,
  type OnlineRequest,
  type RedisKeyFixture,
  type Repo,
} from './online-fixtures.js';

const binary = systemBinary('redis-server', 'redis-server');
const DB: Record<Repo, number> = { quickstart: 2, rich: 3 };
const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
const T = 1_736_226_000_000_000n;

type Client = ReturnType<typeof createClient>;

/** Every field of every hash in a database, as hex, straight from Redis. */
async function dump(client: Client): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  const buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  for await (const keys of buffers.scanIterator({ COUNT: 1000 })) {
    for (const name of keys as unknown as Buffer[]) {
      // HKEYS then HMGET: HGETALL's reply comes back as an object, with binary field names mangled into strings.
      const names = (await buffers.sendCommand(['HKEYS', name])) as unknown as Buffer[];
      const values = (await buffers.sendCommand(['HMGET', name, ...names])) as unknown as Buffer[];
      const fields: Record<string, string> = {};
      names.forEach((field, i) => {
        fields[toHex(field)] = toHex(values[i]);
      });
      out.set(toHex(name), fields);
    }
  }
  return out;
}

describe.skipIf(!binary)("Feast's Redis layout", () => {
  let redis: RedisServer;
  let cluster: RedisServer;
  let client: Client;
  beforeAll(async () => {
    [redis, cluster] = await Promise.all([startRedisServer(binary!), startRedisCluster(binary!, 2)]);
    client = createClient({ url: redis.url });
    await client.connect();
    // Feast's keys and fields, byte for byte, one database per repo.
    for (const repo of REPOS) {
      await client.sendCommand(['SELECT', String(DB[repo])]);
      for (const hash of readJsonFixture<RedisKeyFixture[]>(repo, 'redis-keys.json')) {
        await client.sendCommand([
          'HSET',
          Buffer.from(hash.key_hex, 'hex'),
          ...Object.entries(hash.fields).flatMap(([f, v]) => [Buffer.from(f, 'hex'), Buffer.from(v, 'hex')]),
        ]);
      }
    }
  });
  afterAll(async () => {
    await client?.close();
    await Promise.all([redis?.stop(), cluster?.stop()]);
  });

  runOnlineStoreContract('Feast Redis layout', async () => new FeastRedisOnlineStore({ url: `${redis.url}/1` }));
  runOnlineStoreContract('Feast Redis layout on a cluster', async () => new FeastRedisOnlineStore({ clusterNodes: cluster.nodes }));
  runOnlineStoreContract('Feast Redis layout read by script', async () => new FeastRedisOnlineStore({ url: `${redis.url}/14`, reads: 'script' }));
  runOnlineStoreContract('Feast Redis layout read by script on a cluster', async () => {
    // The contract's keys again, from an empty cluster.
    for (const node of cluster.nodes) await redisCommand(Number(node.split(':')[1]), ['FLUSHALL']);
    return new FeastRedisOnlineStore({ clusterNodes: cluster.nodes, reads: 'script' });
  });

  for (const repo of REPOS) {
    describe(`what Feast materialized for the ${repo} repo`, () => {
      const requests = readJsonFixture<{ requests: OnlineRequest[] }>(repo, 'online-expected-redis.json').requests.filter((r) => !r.error);
      const hashes = readJsonFixture<RedisKeyFixture[]>(repo, 'redis-keys.json');
      // Which (hash, view) pairs Feast wrote: those have a `_ts:<view>` field.
      const written = new Set(
        hashes.flatMap((h) =>
          Object.values(h.decoded.fields)
            .filter((f) => f.name.startsWith('_ts:'))
            .map((f) => `${h.key_hex}/${f.name.slice(4)}`),
        ),
      );

      const cases = (['dump', 'script'] as const).flatMap((reads) => requests.map((r) => [r.name, reads, r] as const));
      it.each(cases)('answers %s with the values and event times Feast answered (reads: %s)', async (_, reads, request) => {
        const store = new FeastRedisOnlineStore({ url: `${redis.url}/${DB[repo]}`, reads });
        // Feast answers PRESENT with null and 1970 for a key it never wrote; feast-edge NOT_FOUND (a null time).
        await expectFeastAnswer(store, repo, request, viewReads(repo, request), (feast, read, keys) =>
          keys.map((k, i) =>
            written.has(`${toHex(feastRedisKey(k, repo))}/${read.view.name}`) ? BigInt(Date.parse(feast.event_timestamps[i])) * 1000n : null,
          ),
        );
        // Still reading the way it was asked to: no DUMP of Feast's hashes was left to the script.
        expect(store.reads).toBe(reads);
        await store.close();
      });

      it('writes the same rows to the same keys, fields and bytes', async () => {
        const db = 10 + DB[repo];
        const views = viewSchemas(repo);
        const store = new FeastRedisOnlineStore({ url: `${redis.url}/${db}` });
        const expected = new Map<string, Record<string, string>>();
        // One batch per view: every hash Feast wrote for it, with the event time Feast stored.
        for (const view of views.values()) {
          const writable = Object.keys(view.features).filter((f) => view.features[f]);
          const rows = hashes.filter((h) => written.has(`${h.key_hex}/${view.name}`));
          if (rows.length === 0) continue;
          const fieldOf = (h: RedisKeyFixture, name: string) => Object.entries(h.decoded.fields).find(([, f]) => f.name === name)!;
          await store.write(repo, {
            view: view.name,
            keys: rows.map((h) => fromHex(h.key_hex).subarray(0, fromHex(h.key_hex).length - Buffer.byteLength(repo))),
            eventTimestamps: rows.map((h) => {
              const [, ts] = fieldOf(h, `_ts:${view.name}`);
              return BigInt(ts.seconds!) * 1_000_000n + BigInt(Math.floor(ts.nanos! / 1000));
            }),
            features: Object.fromEntries(writable.map((f) => [f, rows.map((h) => expectedValue(fieldOf(h, `${view.name}:${f}`)[1].value!))])),
            featureTypes: Object.fromEntries(writable.map((f) => [f, view.features[f]!])),
          });
          for (const h of rows) {
            const fields = expected.get(h.key_hex) ?? {};
            for (const [hex, f] of Object.entries(h.decoded.fields)) {
              const [viewName, feature] = f.name.startsWith('_ts:') ? [f.name.slice(4), undefined] : f.name.split(':');
              if (viewName === view.name && (feature === undefined || writable.includes(feature))) fields[hex] = h.fields[hex];
            }
            expected.set(h.key_hex, fields);
          }
        }
        await client.sendCommand(['SELECT', String(db)]);
        const ours = await dump(client);
        expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(expected));
        expect(ours.size).toBe(hashes.length);
        await store.close();
      });
    });
  }

  describe('FeastRedisOnlineStore', () => {
    const created = (view: string) => toHex(feastCreatedField(view));

    it('keeps the created time that breaks ties in one extra field, and none when it is null', async () => {
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/4` });
      await store.write('p', {
        view: 'v',
        keys: [key(1)],
        eventTimestamps: [T],
        createdTimestamps: [T + 5n],
        features: { x: [1.5] },
        featureTypes: { x: Float32 },
      });
      await client.sendCommand(['SELECT', '4']);
      const fields = (await dump(client)).get(toHex(feastRedisKey(key(1), 'p')))!;
      expect(Object.keys(fields).sort()).toEqual([toHex(feastFeatureField('v', 'x')), created('v'), toHex(feastTimestampField('v'))].sort());
      expect(fields[toHex(feastTimestampField('v'))]).toBe(toHex(encodeTimestamp(T)));
      await store.write('p', { view: 'v', keys: [key(1)], eventTimestamps: [T + 1_000_000n], features: { x: [2.5] }, featureTypes: { x: Float32 } });
      expect(Object.keys((await dump(client)).get(toHex(feastRedisKey(key(1), 'p')))!)).not.toContain(created('v'));
      await store.close();
    });

    it('ignores a created time left behind when Feast wrote a newer event', async () => {
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/5` });
      const write = (event: bigint, createdAt: bigint | null, x: string) =>
        store.write('p', { view: 'v', keys: [key(1)], eventTimestamps: [event], createdTimestamps: [createdAt], features: { x: [x] } });
      expect(await write(T, T * 2n, 'feast-edge')).toEqual({ written: 1, skipped: 0 });
      // Feast writes a newer event: `_ts` and the feature, not the created field it does not know.
      await client.sendCommand(['SELECT', '5']);
      await client.sendCommand([
        'HSET',
        Buffer.from(feastRedisKey(key(1), 'p')),
        Buffer.from(feastTimestampField('v')),
        Buffer.from(encodeTimestamp(T + 60_000_000n)),
      ]);
      // Same event as Feast's, a created time older than the stale one: written, the stale one is not Feast's event's.
      expect(await write(T + 60_000_000n, T, 'after feast')).toEqual({ written: 1, skipped: 0 });
      expect(await write(T + 60_000_000n, null, 'no created')).toEqual({ written: 0, skipped: 1 });
      expect((await store.read('p', 'v', [key(1)], ['x'])).values.x).toEqual(['after feast']);
      await store.close();
    });

    it('compares microseconds exactly, past 2^53 and before 1970', async () => {
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/6` });
      const write = (k: number, event: bigint, x: string) =>
        store.write('p', { view: 'exact', keys: [key(k)], eventTimestamps: [event], features: { x: [x] } });
      const big = 2n ** 60n;
      expect(await write(1, big + 1n, 'first')).toEqual({ written: 1, skipped: 0 });
      expect(await write(1, big, 'one microsecond older')).toEqual({ written: 0, skipped: 1 });
      expect(await write(1, big + 2n, 'one microsecond newer')).toEqual({ written: 1, skipped: 0 });
      expect(await write(2, -5n, 'before 1970')).toEqual({ written: 1, skipped: 0 });
      expect(await write(2, -6n, 'older')).toEqual({ written: 0, skipped: 1 });
      expect(await write(3, -(2n ** 50n) * 1_000_000n, 'far before 1970')).toEqual({ written: 1, skipped: 0 });
      expect(await write(3, -(2n ** 50n) * 1_000_000n - 1n, 'older')).toEqual({ written: 0, skipped: 1 });
      expect(await store.read('p', 'exact', [key(1), key(2), key(3)], ['x'])).toEqual({
        eventTimestamps: [big + 2n, -5n, -(2n ** 50n) * 1_000_000n],
        values: { x: ['one microsecond newer', 'before 1970', 'far before 1970'] },
      });
      await store.close();
    });

    it('deletes a view as Feast does: a hash it alone used goes whole, a shared one keeps the other view', async () => {
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/7` });
      await store.write('p', { view: 'a', keys: [key(1), key(2)], eventTimestamps: [T, T], features: { x: [1, 2] } });
      await store.write('p', { view: 'b', keys: [key(1)], eventTimestamps: [T], features: { y: ['kept'] } });
      await store.deleteView('p', 'a');
      await client.sendCommand(['SELECT', '7']);
      const left = await dump(client);
      expect([...left.keys()]).toEqual([toHex(feastRedisKey(key(1), 'p'))]);
      expect(Object.keys(left.get(toHex(feastRedisKey(key(1), 'p')))!).sort()).toEqual(
        [toHex(feastFeatureField('b', 'y')), toHex(feastTimestampField('b'))].sort(),
      );
      expect((await store.read('p', 'b', [key(1)], ['y'])).values.y).toEqual(['kept']);
      expect((await store.read('p', 'a', [key(1), key(2)], ['x'])).eventTimestamps).toEqual([null, null]);
      await store.close();
    });

    it('leaves another project whose name ends the same alone', async () => {
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/8` });
      const k = encodeEntityKey([{ joinKey: 'id', type: Str, value: 'x' }]);
      await store.write('shop', { view: 'v', keys: [k], eventTimestamps: [T], features: { x: [1] } });
      await store.write('op', { view: 'v', keys: [k], eventTimestamps: [T], features: { x: [2] } });
      await store.deleteView('op', 'v');
      expect((await store.read('shop', 'v', [k], ['x'])).values.x).toEqual([1]);
      expect((await store.read('op', 'v', [k], ['x'])).eventTimestamps).toEqual([null]);
      await store.close();
    });

    it('sets key_ttl_seconds as the expiry of each written hash', async () => {
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/9`, keyTtlSeconds: 3600 });
      await store.write('p', { view: 'v', keys: [key(1)], eventTimestamps: [T], features: { x: [1] } });
      await client.sendCommand(['SELECT', '9']);
      const ttl = Number(await client.sendCommand(['TTL', Buffer.from(feastRedisKey(key(1), 'p'))]));
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3600);
      await store.close();
    });
  });
});
