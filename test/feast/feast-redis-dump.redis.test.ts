import { randomBytes } from 'node:crypto';
import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Float32, Float64, Int64, String as Str } from '../../src/definitions/index.js';
import { OnlineStoreConnectionError } from '../../src/errors.js';
import { feastFeatureField, feastRedisKey } from '../../src/feast/redis-layout.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { FeastRedisOnlineStore } from '../../src/runtime/node/redis/feast-redis-online-store.js';
import { keySlot } from '../../src/runtime/node/redis/key-slot.js';
import { readDumpedHash } from '../../src/runtime/node/redis/redis-dump.js';
import { startRedisCluster, startRedisServer, type RedisServer } from '../support/redis-server.js';
import { systemBinary } from '../support/system-binary.js';
import { readJsonFixture, REPOS, toHex, type RedisKeyFixture } from './online-fixtures.js';

const binary = systemBinary('redis-server', 'redis-server');
const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
const T = 1_736_226_000_000_000n;
const bytes = (s: string) => Buffer.from(s);

type Client = ReturnType<typeof createClient>;

/** The hash as Redis itself answers it (HKEYS, then HMGET: HGETALL's reply would mangle binary field names), as hex pairs. */
async function hashOf(client: Client, name: Buffer): Promise<Record<string, string>> {
  const buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  const fields = (await buffers.sendCommand(['HKEYS', name])) as unknown as Buffer[];
  const values = (await buffers.sendCommand(['HMGET', name, ...fields])) as unknown as Buffer[];
  return Object.fromEntries(fields.map((field, i) => [toHex(field), toHex(values[i])]));
}

/** What readDumpedHash finds in `DUMP name`, as hex pairs, with the DUMP's first bytes. */
async function dumpOf(client: Client, name: Buffer): Promise<{ pairs: Record<string, string> | undefined; type: number; compressed: boolean }> {
  const payload = (await client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).sendCommand(['DUMP', name])) as unknown as Buffer;
  const pairs: Record<string, string> = {};
  const count = readDumpedHash(payload, (f, fs, fe, v, vs, ve) => {
    pairs[toHex(f.subarray(fs, fe))] = toHex(v.subarray(vs, ve));
  });
  // A listpack blob that Redis compressed starts with the LZF string marker 0xc3.
  return { pairs: count === undefined ? undefined : pairs, type: payload[0], compressed: payload[1] === 0xc3 };
}

describe.skipIf(!binary)('reading Feast hashes out of DUMP', () => {
  let redis: RedisServer;
  let cluster: RedisServer;
  let client: Client;
  beforeAll(async () => {
    [redis, cluster] = await Promise.all([startRedisServer(binary!), startRedisCluster(binary!, 1)]);
    client = createClient({ url: redis.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.close();
    await Promise.all([redis?.stop(), cluster?.stop()]);
  });

  const integers = [
    '0',
    '127',
    '128',
    '-1',
    '4095',
    '-4096',
    '4096',
    '32767',
    '-32768',
    '32768',
    '8388607',
    '-8388608',
    '8388608',
    '2147483647',
    '-2147483648',
    '2147483648',
    '9223372036854775807',
    '-9223372036854775808',
    // Not canonical integers: Redis keeps them as strings.
    '007',
    '+5',
    '-0',
    '',
    '9223372036854775808',
    ' 1',
  ];
  const similar = (n: number, length: number) => Array.from({ length: n }, (_, i) => [`field:${i}`, `${'v'.repeat(length)}${i}`] as const);
  const shapes: {
    name: string;
    pairs: readonly (readonly [string | Buffer, string | Buffer])[];
    type: 4 | 16;
    encoding: string;
    compressed?: boolean;
    config?: string[];
  }[] = [
    {
      name: 'a few short fields (a listpack, uncompressed)',
      pairs: [
        ['a', 'x'],
        ['bb', 'yy'],
      ],
      type: 16,
      encoding: 'listpack',
      compressed: false,
    },
    { name: 'fields Redis compresses (an LZF listpack)', pairs: similar(50, 20), type: 16, encoding: 'listpack', compressed: true },
    {
      name: 'integers Redis stores compactly, field names among them, in a listpack',
      pairs: [...integers.map((n) => [n || 'empty', n] as const), ['1808', 'x'], ['6223', '0']],
      type: 16,
      encoding: 'listpack',
    },
    {
      name: 'the same integers in a hashtable',
      pairs: [...integers.map((n, i) => [`f${i}`, n] as const), ...integers.filter(Boolean).map((n) => [n, 'v'] as const), ...similar(600, 1)],
      type: 4,
      encoding: 'hashtable',
    },
    {
      name: 'values longer than 64 bytes, some compressible (a hashtable of LZF strings)',
      pairs: [
        ['long', 'a'.repeat(300)],
        ['random', randomBytes(100)],
        ['short', 's'],
      ],
      type: 4,
      encoding: 'hashtable',
    },
    {
      name: 'binary fields and values',
      pairs: [
        [randomBytes(4), randomBytes(9)],
        [randomBytes(4), Buffer.alloc(0)],
        [Buffer.from([0xff, 0, 0x7b]), randomBytes(3)],
      ],
      type: 16,
      encoding: 'listpack',
    },
    {
      name: 'entries of 12- and 32-bit lengths and 2- and 3-byte backlens (a listpack allowed long values)',
      pairs: [
        ['a', 'x'.repeat(100)],
        ['b', randomBytes(5000)],
        ['c', randomBytes(20_000)],
        ['d', 'y'.repeat(4096)],
      ],
      type: 16,
      encoding: 'listpack',
      config: ['hash-max-listpack-value', '100000'],
    },
  ];

  it.each(shapes.map((shape) => [shape.name, shape] as const))('finds every field Redis holds in a DUMP of %s', async (_, shape) => {
    const name = randomBytes(12);
    const previous = shape.config ? ((await client.configGet(shape.config[0])) as Record<string, string>)[shape.config[0]] : undefined;
    if (shape.config) await client.configSet(shape.config[0], shape.config[1]);
    try {
      await client.sendCommand(['HSET', name, ...shape.pairs.flatMap(([f, v]) => [Buffer.from(f), Buffer.from(v)])]);
    } finally {
      if (shape.config) await client.configSet(shape.config[0], previous!);
    }
    expect(await client.sendCommand(['OBJECT', 'ENCODING', name])).toBe(shape.encoding);
    const dumped = await dumpOf(client, name);
    expect(dumped.type).toBe(shape.type);
    if (shape.compressed !== undefined) expect(dumped.compressed).toBe(shape.compressed);
    expect(dumped.pairs).toEqual(await hashOf(client, name));
  });

  for (const repo of REPOS) {
    it(`finds every field of every hash Feast wrote for the ${repo} repo`, async () => {
      await client.sendCommand(['SELECT', '1']);
      for (const hash of readJsonFixture<RedisKeyFixture[]>(repo, 'redis-keys.json')) {
        const name = Buffer.from(hash.key_hex, 'hex');
        await client.sendCommand(['HSET', name, ...Object.entries(hash.fields).flatMap(([f, v]) => [Buffer.from(f, 'hex'), Buffer.from(v, 'hex')])]);
        expect((await dumpOf(client, name)).pairs).toEqual(hash.fields);
      }
      await client.sendCommand(['SELECT', '0']);
    });
  }

  it('answers undefined for keys that are not hashes', async () => {
    await client.sendCommand(['SET', 'a string', 'x']);
    await client.sendCommand(['RPUSH', 'a list', 'x']);
    await client.sendCommand(['SADD', 'a set', 'x']);
    for (const name of ['a string', 'a list', 'a set']) expect((await dumpOf(client, bytes(name))).pairs).toBeUndefined();
  });

  it('computes the slot Redis Cluster computes, hash tags and binary keys included', async () => {
    const node = createClient({ url: cluster.url });
    await node.connect();
    const keys = [
      ...['{}x', '{a}{b}', 'a{', 'x}y{z}', '{{a}}', '}{', 'foo{}{bar}', 'foo{{bar}}zap', 'foo{bar}{zap}'].map(bytes),
      ...Array.from({ length: 100 }, (_, i) => randomBytes(1 + (i % 40))),
      ...[1, 123, 125, 0x7b7d].map((id) => Buffer.from(feastRedisKey(key(id), 'shop'))),
    ];
    for (const name of keys) expect(keySlot(name), toHex(name)).toBe(Number(await node.sendCommand(['CLUSTER', 'KEYSLOT', name])));
    await node.close();
  });

  describe('FeastRedisOnlineStore reads', () => {
    const both = ['dump', 'script'] as const;

    it.each(both)('a feature whose field Redis stores as an integer, in a listpack and in a hashtable (reads: %s)', async (reads) => {
      // murmur3 of these references happens to be canonical decimal digits.
      expect(Buffer.from(feastFeatureField('digits', 'f422332')).toString()).toBe('6223');
      expect(Buffer.from(feastFeatureField('digits', 'f577631')).toString()).toBe('1808');
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/2`, reads });
      await store.write('p', {
        view: 'digits',
        keys: [key(1), key(2)],
        eventTimestamps: [T, T],
        features: { f422332: [1.5, 2.5], f577631: ['a', 'b'], long: ['short', 'x'.repeat(100)] },
        featureTypes: { f422332: Float64, f577631: Str, long: Str },
      });
      await client.sendCommand(['SELECT', '2']);
      const encodings = await Promise.all([1, 2].map((id) => client.sendCommand(['OBJECT', 'ENCODING', Buffer.from(feastRedisKey(key(id), 'p'))])));
      expect(encodings).toEqual(['listpack', 'hashtable']);
      expect(await store.read('p', 'digits', [key(2), key(1)], ['f577631', 'f422332'])).toEqual({
        eventTimestamps: [T, T],
        values: { f577631: ['b', 'a'], f422332: [2.5, 1.5] },
      });
      expect(store.reads).toBe(reads);
      await store.close();
    });

    it.each(both)('a value whose bytes Redis stores as an integer (reads: %s)', async (reads) => {
      // Float32 with the bytes 31 32 33 34: the Value is 0x35 then those, the text "51234".
      const float = new DataView(Uint8Array.of(0x31, 0x32, 0x33, 0x34).buffer).getFloat32(0, true);
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/3`, reads });
      await store.write('p', {
        view: 'v',
        keys: [key(1), key(2)],
        eventTimestamps: [T, T],
        features: { x: [float, float], pad: ['', 'y'.repeat(100)] },
        featureTypes: { x: Float32, pad: Str },
      });
      await client.sendCommand(['SELECT', '3']);
      expect(String(await client.sendCommand(['HGET', Buffer.from(feastRedisKey(key(1), 'p')), Buffer.from(feastFeatureField('v', 'x'))]))).toBe('51234');
      expect((await store.read('p', 'v', [key(1), key(2)], ['x'])).values.x).toEqual([float, float]);
      await store.close();
    });

    it('reads by script from the first DUMP the server refuses', async () => {
      await client.sendCommand(['ACL', 'SETUSER', 'nodump', 'on', '>secret', '~*', '&*', '+@all', '-dump']);
      const writer = new FeastRedisOnlineStore({ url: `${redis.url}/4` });
      await writer.write('p', { view: 'v', keys: [key(1)], eventTimestamps: [T], features: { x: [7] } });
      await writer.close();
      const store = new FeastRedisOnlineStore({ url: `redis://nodump:secret@127.0.0.1:${redis.port}/4` });
      expect(await store.read('p', 'v', [key(1), key(2)], ['x'])).toEqual({ eventTimestamps: [T, null], values: { x: [7, null] } });
      expect(store.reads).toBe('script');
      expect((await store.read('p', 'v', [key(1)], ['x'])).values.x).toEqual([7]);
      await store.close();
    });

    it.each(both)('fails on a key that is not a hash as HMGET does (reads: %s)', async (reads) => {
      await client.sendCommand(['SELECT', '5']);
      await client.sendCommand(['SET', Buffer.from(feastRedisKey(key(1), 'p')), 'not a hash']);
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/5`, reads });
      const read = store.read('p', 'v', [key(1)], ['x']);
      await expect(read).rejects.toThrow(OnlineStoreConnectionError);
      await expect(read).rejects.toThrow('WRONGTYPE');
      await store.close();
    });

    it.each(both)("reads through one endpoint that takes a call's keys from one slot only, as a proxy in front of shards (reads: %s)", async (reads) => {
      // A plain connection to a cluster node: it answers CROSSSLOT to a call naming keys of several slots.
      const writer = new FeastRedisOnlineStore({ clusterNodes: cluster.nodes });
      await writer.write('proxy', { view: 'v', keys: [key(1), key(2), key(3)], eventTimestamps: [T, T, T], features: { x: [1, 2, 3] } });
      await writer.close();
      expect(new Set([1, 2, 3, 4].map((id) => keySlot(feastRedisKey(key(id), 'proxy')))).size).toBe(4);
      const store = new FeastRedisOnlineStore({ url: cluster.url, reads });
      for (let i = 0; i < 2; i++) {
        expect(await store.read('proxy', 'v', [key(3), key(4), key(1), key(2)], ['x'])).toEqual({
          eventTimestamps: [T, null, T, T],
          values: { x: [3, null, 1, 2] },
        });
      }
      expect(store.reads).toBe(reads);
      await store.close();
    });

    it('reads a view whose hashes mostly hold another view, again and again', async () => {
      const store = new FeastRedisOnlineStore({ url: `${redis.url}/6` });
      const wide = Object.fromEntries(Array.from({ length: 200 }, (_, f) => [`w${f}`, [f, f + 1]]));
      await store.write('p', { view: 'wide', keys: [key(1), key(2)], eventTimestamps: [T, T], features: wide });
      await store.write('p', { view: 'narrow', keys: [key(1)], eventTimestamps: [T + 1n], features: { a: ['one'] } });
      for (let i = 0; i < 3; i++) {
        expect(await store.read('p', 'narrow', [key(1), key(2)], ['a'])).toEqual({ eventTimestamps: [T + 1n, null], values: { a: ['one', null] } });
      }
      expect(store.reads).toBe('dump');
      await store.close();
    });
  });
});
