import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Int64 } from '../../src/definitions/index.js';
import { encodeEntityKey, entityKeyToString } from '../../src/online/entity-key.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';
import { RedisOnlineStore } from '../../src/runtime/node/redis/redis-online-store.js';
import { parseRepoConfig, redisOptionsOf, RepoConfigError } from '../../src/runtime/node/repo-config.js';
import { freePort, redisCommand, startRedisCluster, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { systemBinary } from '../support/system-binary.js';
import { runOnlineStoreContract } from './store-contract.js';

const binary = systemBinary('redis-server', 'redis-server');

const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
const T0 = 1_618_221_600_000_000n;

describe.skipIf(!binary)('Redis online store', () => {
  let redis: RedisServer;
  let cluster: RedisServer;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'feast-edge-redis-test-'));
    [redis, cluster] = await Promise.all([startRedisServer(binary!), startRedisCluster(binary!, 2)]);
  });
  afterAll(async () => {
    await Promise.all([redis?.stop(), cluster?.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  runOnlineStoreContract('Redis', async () => new RedisOnlineStore({ url: redis.url }));
  // Glob characters in the prefix: deleteView's SCAN MATCH must treat them literally.
  runOnlineStoreContract('Redis with a key prefix', async () => new RedisOnlineStore({ url: `${redis.url}/1`, keyPrefix: 'tenant[1]*?:' }));
  // Two masters: one view's keys land in different slots on different nodes.
  runOnlineStoreContract('Redis Cluster', async () => new RedisOnlineStore({ clusterNodes: cluster.nodes }));

  it('keeps one string per project, view and entity key, named by the prefix and the hex key, and the view schemas in one list', async () => {
    const store = new RedisOnlineStore({ url: `${redis.url}/2`, keyPrefix: 'app:' });
    await store.write('shop', { view: 'stats', keys: [key(7)], eventTimestamps: [T0], features: { x: [1.5] } });
    const name = `app:shop:stats:${entityKeyToString(key(7))}`;
    expect(await redisCommand(redis.port, ['TYPE', name], { db: 2 })).toBe('string');
    // The row holds positions, not names: the names are once per view, schema id 0 here.
    expect(await redisCommand(redis.port, ['TYPE', 'app:shop:stats'], { db: 2 })).toBe('list');
    expect(await redisCommand(redis.port, ['LINDEX', 'app:shop:stats', '0'], { db: 2 })).toBe('["x"]');
    expect(await redisCommand(redis.port, ['DBSIZE'], { db: 2 })).toBe('2');
    // Without key_ttl_seconds a key never expires (TTL -1).
    expect(await redisCommand(redis.port, ['TTL', name], { db: 2 })).toBe('-1');
    await store.close();
  });

  it('compares 64-bit microseconds exactly, past what a Lua double holds, and before 1970', async () => {
    const store = new RedisOnlineStore({ url: `${redis.url}/6` });
    const write = (event: bigint, created: bigint | null, x: string) =>
      store.write('p', { view: 'exact', keys: [key(1)], eventTimestamps: [event], createdTimestamps: [created], features: { x: [x] } });
    const big = 2n ** 60n;
    expect(await write(big + 1n, null, 'first')).toEqual({ written: 1, skipped: 0 });
    expect(await write(big, 5n, 'one microsecond older')).toEqual({ written: 0, skipped: 1 });
    expect(await write(big + 1n, -(2n ** 62n), 'any created beats none')).toEqual({ written: 1, skipped: 0 });
    expect(await write(big + 1n, null, 'no created again')).toEqual({ written: 0, skipped: 1 });
    expect(await write(big + 2n, null, 'one microsecond newer')).toEqual({ written: 1, skipped: 0 });
    const read = await store.read('p', 'exact', [key(1)], ['x']);
    expect(read).toEqual({ eventTimestamps: [big + 2n], values: { x: ['one microsecond newer'] } });
    expect(await store.write('p', { view: 'exact', keys: [key(2)], eventTimestamps: [-5n], features: { x: ['y'] } })).toEqual({ written: 1, skipped: 0 });
    expect(await store.write('p', { view: 'exact', keys: [key(2)], eventTimestamps: [-6n], features: { x: ['older'] } })).toEqual({ written: 0, skipped: 1 });
    expect((await store.read('p', 'exact', [key(2)], ['x'])).eventTimestamps).toEqual([-5n]);
    // Either side of 2^53, where the ordering fields are computed two ways.
    const edge = 2n ** 53n;
    expect(await store.write('p', { view: 'exact', keys: [key(3)], eventTimestamps: [edge], features: { x: ['2^53'] } })).toEqual({ written: 1, skipped: 0 });
    expect(await store.write('p', { view: 'exact', keys: [key(3)], eventTimestamps: [edge - 1n], features: { x: ['2^53 - 1'] } })).toEqual({
      written: 0,
      skipped: 1,
    });
    expect(await store.write('p', { view: 'exact', keys: [key(3)], eventTimestamps: [edge + 1n], features: { x: ['2^53 + 1'] } })).toEqual({
      written: 1,
      skipped: 0,
    });
    await store.close();
  });

  it('sets key_ttl_seconds as the expiry of each written key', async () => {
    const store = new RedisOnlineStore({ url: `${redis.url}/3`, keyTtlSeconds: 3600 });
    await store.write('p', { view: 'v', keys: [key(1)], eventTimestamps: [T0], features: { x: [1] } });
    const ttl = Number(await redisCommand(redis.port, ['TTL', `p:v:${entityKeyToString(key(1))}`], { db: 3 }));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(3600);
    await store.close();
  });

  it('spreads a view over the masters of a cluster, and deleteView empties every master', async () => {
    const store = new RedisOnlineStore({ clusterNodes: cluster.nodes.slice(0, 1) });
    const keys = Array.from({ length: 200 }, (_, i) => key(50_000 + i));
    await store.write('spread', { view: 'v', keys, eventTimestamps: keys.map(() => T0), features: { x: keys.map((_, i) => i) } });
    const ports = cluster.nodes.map((n) => Number(n.split(':')[1]));
    const sizes = await Promise.all(ports.map(async (port) => Number(await redisCommand(port, ['DBSIZE']))));
    // Found from one root node, written to both: each master holds some of the 200 keys.
    expect(sizes.every((n) => n > 0)).toBe(true);
    const read = await store.read('spread', 'v', keys, ['x']);
    expect(read.values.x).toEqual(keys.map((_, i) => i));
    await store.deleteView('spread', 'v');
    expect((await store.read('spread', 'v', keys, ['x'])).eventTimestamps.every((t) => t === null)).toBe(true);
    await store.close();
  });

  it('keeps rows across a dropped connection and a new client', async () => {
    const store = new RedisOnlineStore({ url: `${redis.url}/4` });
    await store.write('p', { view: 'v', keys: [key(1), key(2)], eventTimestamps: [T0, T0], features: { x: ['a', 'b'] } });
    // The server drops every client connection; the store reconnects on its own.
    await redisCommand(redis.port, ['CLIENT', 'KILL', 'TYPE', 'normal']);
    await waitUntil(async () => (await redisCommand(redis.port, ['CLIENT', 'LIST', 'TYPE', 'normal'])).trim().split('\n').length >= 2);
    expect((await store.read('p', 'v', [key(2), key(1)], ['x'])).values.x).toEqual(['b', 'a']);
    await store.close();
    const again = new RedisOnlineStore({ url: `${redis.url}/4` });
    expect((await again.read('p', 'v', [key(1), key(2)], ['x'])).values.x).toEqual(['a', 'b']);
    await again.close();
  });

  it('fails a call the server does not answer, then reconnects on the next', async () => {
    const store = new RedisOnlineStore({ url: `${redis.url}/7`, commandTimeoutMs: 300 });
    const write = (x: string, hours: number) =>
      store.write('p', { view: 'v', keys: [key(1)], eventTimestamps: [T0 + BigInt(hours) * 3_600_000_000n], features: { x: [x] } });
    await write('first', 0);
    // The server holds every write until unpaused: a stand-in for a hung server.
    await redisCommand(redis.port, ['CLIENT', 'PAUSE', '60000', 'WRITE']);
    try {
      await expect(write('held', 1)).rejects.toThrow(`Redis at redis://127.0.0.1:${redis.port}/7: write failed: no reply within 300 ms`);
    } finally {
      await redisCommand(redis.port, ['CLIENT', 'UNPAUSE']);
    }
    expect(await write('after', 2)).toEqual({ written: 1, skipped: 0 });
    expect((await store.read('p', 'v', [key(1)], ['x'])).values.x).toEqual(['after']);
    await store.close();
  });

  it('is selected by feature_store.yaml: one open materializes, a second open reads it back', async () => {
    const repo = join(dir, 'repo');
    await mkdir(join(repo, 'data'), { recursive: true });
    const engine = await createNodeEngine();
    await writeFile(
      join(repo, 'data', 'stats.parquet'),
      await engine.export(
        `SELECT * FROM (VALUES (1::BIGINT, TIMESTAMP '2021-04-12 09:00:00', 0.25::DOUBLE), (1::BIGINT, TIMESTAMP '2021-04-12 09:30:00', 0.5::DOUBLE),
        (2::BIGINT, TIMESTAMP '2021-04-12 09:30:00', 0.75::DOUBLE)) t(driver_id, event_timestamp, conv_rate)`,
        'parquet',
      ),
    );
    await engine.close();
    // Feast's form of connection_string, not a URL.
    await writeFile(
      join(repo, 'feature_store.yaml'),
      `project: redis_repo\nonline_store:\n  type: redis\n  connection_string: "127.0.0.1:${redis.port},db=5"\n  key_ttl_seconds: 86400\n`,
    );
    await writeFile(
      join(repo, 'defs.ts'),
      `import { entity, featureView, field, fileSource, Float64, Int64 } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const stats = featureView({ name: 'stats', entities: [driver], source: fileSource({ name: 's', path: 'data/stats.parquet' }), schema: [field('conv_rate', Float64)] });
`,
    );
    const first = await openFeatureStore({ repoPath: repo });
    expect(first.store.onlineStore.name).toBe('redis');
    await first.store.apply(first.definitions);
    await first.store.materialize({ start: '2021-04-12T00:00:00Z', end: '2021-04-12T10:00:00Z' });
    await first.store.close();
    const second = await openFeatureStore({ repoPath: repo });
    const response = await second.store.getOnlineFeatures({
      features: ['stats:conv_rate'],
      entityRows: [{ driver_id: 1 }, { driver_id: 2 }, { driver_id: 3 }],
    });
    // Driver 1's latest row (09:30) wins; driver 3 was never written.
    expect(response.toDict().conv_rate).toEqual([0.5, 0.75, null]);
    await second.store.close();
    // Two rows and the view's list of schemas.
    expect(Number(await redisCommand(redis.port, ['DBSIZE'], { db: 5 }))).toBe(3);
  });

  describe('when the server is not there', () => {
    let silent: Server;
    const sockets: Socket[] = [];
    beforeAll(async () => {
      // Accepts connections and never answers: a TCP connect alone does not mean Redis.
      silent = createServer((socket) => {
        sockets.push(socket);
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('fails with an error naming the address, for a closed port, and again on the next call', async () => {
      const port = await freePort();
      const store = new RedisOnlineStore({ url: `redis://user:secret@127.0.0.1:${port}/0` });
      const attempt = store.read('p', 'v', [key(1)], ['x']);
      await expect(attempt).rejects.toThrow(new RegExp(`cannot connect to Redis at redis://127.0.0.1:${port}/0: .*ECONNREFUSED`));
      await expect(attempt).rejects.toMatchObject({ name: 'OnlineStoreConnectionError' });
      await expect(attempt).rejects.not.toThrow(/secret/);
      await expect(store.write('p', { view: 'v', keys: [key(1)], eventTimestamps: [T0], features: { x: [1] } })).rejects.toThrow(/cannot connect to Redis at/);
      await store.close();
    });

    it('fails rather than waits for ever on a peer that never answers', async () => {
      const { port } = silent.address() as { port: number };
      const store = new RedisOnlineStore({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 200 });
      await expect(store.read('p', 'v', [key(1)], ['x'])).rejects.toThrow(new RegExp(`cannot connect to Redis at redis://127.0.0.1:${port}`));
      await store.close();
    });

    it('fails for a cluster whose root nodes are all down, naming them', async () => {
      const ports = [await freePort(), await freePort()];
      const store = new RedisOnlineStore({ clusterNodes: ports.map((p) => `127.0.0.1:${p}`) });
      await expect(store.read('p', 'v', [key(1)], ['x'])).rejects.toThrow(`cannot connect to Redis at 127.0.0.1:${ports[0]},127.0.0.1:${ports[1]}`);
      await store.close();
    });

    it('fails from a repo whose feature_store.yaml points at a closed port', async () => {
      const port = await freePort();
      const repo = join(dir, 'closed');
      await mkdir(repo, { recursive: true });
      await writeFile(join(repo, 'feature_store.yaml'), `project: closed\nonline_store: { type: redis, connection_string: "redis://127.0.0.1:${port}" }\n`);
      await writeFile(
        join(repo, 'defs.ts'),
        `import { entity, featureView, field, fileSource, Float64, Int64 } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const stats = featureView({ name: 'stats', entities: [driver], source: fileSource({ name: 's', path: 'data/s.parquet' }), schema: [field('x', Float64)] });
`,
      );
      const { store, definitions } = await openFeatureStore({ repoPath: repo });
      await store.apply(definitions);
      await expect(store.writeToOnlineStore('stats', [{ driver_id: 1, event_timestamp: '2021-04-12T10:00:00Z', x: 1 }])).rejects.toThrow(
        `cannot connect to Redis at redis://127.0.0.1:${port}`,
      );
      await store.close();
    });
  });

  describe('online_store of type redis in feature_store.yaml', () => {
    const online = (fields: Record<string, unknown>) => parseRepoConfig({ project: 'p', online_store: { type: 'redis', ...fields } }, '/r').onlineStore;

    it("reads Feast's connection_string forms and key_ttl_seconds", () => {
      expect(redisOptionsOf(online({ connection_string: 'localhost:6379' }))).toEqual({ target: { url: 'redis://localhost:6379' } });
      expect(redisOptionsOf(online({ connection_string: 'cache:6380,password=p w,ssl=true,db=2', key_ttl_seconds: 60, key_prefix: 'fe:' }))).toEqual({
        target: { url: 'rediss://:p%20w@cache:6380/2' },
        keyTtlSeconds: 60,
        keyPrefix: 'fe:',
      });
      expect(redisOptionsOf(online({ connection_string: 'redis://u:pw@host:7000/3' }))).toEqual({ target: { url: 'redis://u:pw@host:7000/3' } });
      expect(redisOptionsOf(online({ redis_type: 'redis_cluster', connection_string: 'redis1:6379,redis2:6379,ssl=true,password=my_password' }))).toEqual({
        target: { clusterNodes: ['redis1:6379', 'redis2:6379'], tls: true, password: 'my_password' },
      });
      // Feast treats a ttl of 0 as none.
      expect(redisOptionsOf(online({ connection_string: 'h', key_ttl_seconds: 0 }))).toEqual({ target: { url: 'redis://h:6379' } });
    });

    it('names the field and what was expected, and never shows the password', () => {
      const cases: [Record<string, unknown>, RegExp | string][] = [
        [{}, /online_store.connection_string: expected .*\(required for type redis\), got null/],
        [{ connection_string: 6379 }, /online_store.connection_string: expected .* got 6379/],
        [{ connection_string: 'h1:1,h2:2' }, /online_store.connection_string: expected one host:port .* set redis_type: redis_cluster/],
        [{ connection_string: 'h:1,passwd=x' }, /online_store.connection_string: expected parameters among password, username, ssl, db/],
        [{ connection_string: 'h:1,ssl=yes' }, /online_store.connection_string: expected ssl=true or ssl=false/],
        [{ connection_string: 'h:port' }, /online_store.connection_string: expected .*'h:port' is not host:port/],
        [{ redis_type: 'redis_cluster', connection_string: 'h1:1,h2:2,db=3' }, /expected no db= other than 0 for redis_type redis_cluster/],
        [{ redis_type: 'redis_sentinel', connection_string: 'h:1' }, /online_store.redis_type: expected 'redis' or 'redis_cluster'.*got "redis_sentinel"/],
        [{ connection_string: 'h:1', key_ttl_seconds: '1h' }, /online_store.key_ttl_seconds: expected a whole number of seconds >= 0.*got "1h"/],
        [{ connection_string: 'h:1', key_ttl_seconds: -5 }, /online_store.key_ttl_seconds: expected a whole number .* got -5/],
        [{ connection_string: 'h:1', key_prefix: 3 }, /online_store.key_prefix: expected a string/],
        [{ connection_string: 'h:1', host: 'h' }, "unknown key 'online_store.host'; known keys: type, connection_string, redis_type, key_ttl_seconds"],
        [{ connection_string: 'h:1', path: 'x' }, /unknown key 'online_store.path'/],
      ];
      for (const [fields, message] of cases) {
        expect(() => online(fields), JSON.stringify(fields)).toThrow(message);
        expect(() => online(fields)).toThrow(RepoConfigError);
      }
      expect(() => online({ connection_string: 'h:1,password=s3cret,ssl=maybe' })).toThrow(/password=\*\*\*/);
      expect(() => online({ connection_string: 'h:1,password=s3cret,ssl=maybe' })).not.toThrow(/s3cret/);
    });

    it('checks the keys of the other types too', () => {
      expect(() => parseRepoConfig({ project: 'p', online_store: { type: 'memory', path: 'x' } }, '/r')).toThrow(
        "unknown key 'online_store.path'; known keys: type",
      );
      expect(() => parseRepoConfig({ project: 'p', online_store: { type: 'lmdb', connection_string: 'h:1' } }, '/r')).toThrow(
        "unknown key 'online_store.connection_string'; known keys: type, path",
      );
    });
  });
});

async function waitUntil(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition not reached');
}
