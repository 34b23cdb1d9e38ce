import { createClient, RESP_TYPES } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrayOf, Bool, Bytes, Float32, Float64, Int32, Int64, String as Str, UnixTimestamp, type ValueType } from '../../src/definitions/index.js';
import { feastFeatureField, feastTimestampField } from '../../src/feast/redis-layout.js';
import { decodeTimestamp, encodeTimestamp } from '../../src/feast/timestamp-proto.js';
import { decodeValue, valueEncoder } from '../../src/feast/value-proto.js';
import { readListpackRow } from '../../src/runtime/node/redis/feast-listpack-row.js';
import { FeastDumpRowReader } from '../../src/runtime/node/redis/feast-redis-dump-row.js';
import type { FeastRowsTarget } from '../../src/runtime/node/redis/feast-redis-reply.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { systemBinary } from '../support/system-binary.js';
import { comparable, expectedValue, readJsonFixture, REPOS, type RedisKeyFixture } from './online-fixtures.js';

/*
 * The one-pass DUMP reader (feast-listpack-row.ts) against independent answers: Feast's
 * own decoding of the hashes it wrote (the fixtures' hex dump and Feast's JSON of each
 * Value), and, for random values of every type, what Redis answers to HMGET decoded by
 * the general decoder (decodeValue, decodeTimestamp), one field at a time.
 */

const binary = systemBinary('redis-server', 'redis-server');
type Client = ReturnType<typeof createClient>;

const newTarget = (rows: number, features: number): FeastRowsTarget => ({
  eventTimestamps: new Array<bigint | null>(rows).fill(null),
  columns: Array.from({ length: features }, () => new Array<unknown>(rows).fill(null)),
});

/** A deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SCALARS = [Int32, Int64, Float32, Float64, Str, Bool, Bytes, UnixTimestamp];
const TYPES: ValueType[] = [...SCALARS, ...SCALARS.map((t) => ArrayOf(t))];

/** A random value of the type, sometimes null, of every size the encodings differ by. */
function valueOf(type: ValueType, next: () => number, long: boolean): unknown {
  if (next() < 0.08) return null;
  const int = (bound: number) => Math.floor((next() * 2 - 1) * bound);
  const text = () => {
    const length = long && next() < 0.2 ? 40 + Math.floor(next() * 200) : Math.floor(next() * 12);
    return Array.from({ length }, () => (next() < 0.1 ? 'é€😀'[Math.floor(next() * 3)] : String.fromCharCode(32 + Math.floor(next() * 95)))).join('');
  };
  const scalar = (name: string): unknown => {
    switch (name) {
      case 'Int32':
        return int(next() < 0.5 ? 100 : 2 ** 31 - 1);
      case 'Int64':
        return next() < 0.1 ? BigInt(int(2 ** 31)) * 2n ** 31n + 12345n : int(next() < 0.5 ? 100 : 2 ** 40);
      case 'Float32':
        return Math.fround((next() - 0.5) * 1e6);
      case 'Float64':
        return next() < 0.05 ? Number.NaN : (next() - 0.5) * 10 ** int(30);
      case 'String':
        return text();
      case 'Bool':
        return next() < 0.5;
      case 'Bytes':
        return Uint8Array.from({ length: Math.floor(next() * (long && next() < 0.2 ? 300 : 10)) }, () => Math.floor(next() * 256));
      default:
        return new Date(int(2 ** 33) * 1000);
    }
  };
  if (type.kind === 'Array') return Array.from({ length: Math.floor(next() * 6) }, () => scalar(type.of.kind));
  return scalar(type.kind);
}

describe.skipIf(!binary)('the one-pass DUMP reader', () => {
  let redis: RedisServer;
  let client: Client;
  let buffers: ReturnType<Client['withTypeMapping']>;
  beforeAll(async () => {
    redis = await startRedisServer(binary!);
    client = createClient({ url: redis.url });
    await client.connect();
    buffers = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  });
  afterAll(async () => {
    await client?.close();
    await redis?.stop();
  });
  const dump = async (name: Buffer) => (await buffers.sendCommand(['DUMP', name])) as unknown as Buffer;

  for (const repo of REPOS) {
    it(`reads every view of every hash Feast wrote for the ${repo} repo as Feast decoded it`, async () => {
      let values = 0;
      let onePass = 0;
      for (const hash of readJsonFixture<RedisKeyFixture[]>(repo, 'redis-keys.json')) {
        const name = Buffer.from(hash.key_hex, 'hex');
        await client.del(name);
        await client.sendCommand(['HSET', name, ...Object.entries(hash.fields).flatMap(([f, v]) => [Buffer.from(f, 'hex'), Buffer.from(v, 'hex')])]);
        const payload = await dump(name);
        const named = Object.entries(hash.decoded.fields);
        for (const [, ts] of named.filter(([, f]) => f.name.startsWith('_ts:'))) {
          const view = ts.name.slice(4);
          // The view's features in the order Feast's dump lists them, one more that the hash lacks, and one asked twice.
          const features = named
            .filter(([, f]) => f.name.startsWith(`${view}:`))
            .map(([hex, f]) => ({ hex, name: f.name.slice(view.length + 1), value: f.value }));
          const asked = [...features.map((f) => f.name), 'not_written', features[0].name];
          const fields = [feastTimestampField(view), ...asked.map((f) => feastFeatureField(view, f))];
          const target = newTarget(2, asked.length);
          // Straight into the one-pass reader: it takes every listpack (a hash holding a value over 64 bytes is a hashtable, read the general way).
          const found = new Int32Array(2 * fields.length);
          const pairs = readListpackRow(payload, new FeastDumpRowReader(fields), found, target, 1, {});
          if (payload[0] === 16) {
            expect(pairs, `${repo} ${view}`).toBe(named.length);
            onePass++;
          } else {
            expect(pairs).toBeUndefined();
            expect(new FeastDumpRowReader(fields).read(payload, target, 1, {})).toBe(named.length);
          }
          expect(target.eventTimestamps).toEqual([null, BigInt(ts.seconds ?? 0) * 1_000_000n + BigInt(Math.floor((ts.nanos ?? 0) / 1000))]);
          features.forEach((f, i) => {
            expect(comparable(target.columns[i][1]), `${repo} ${f.hex}`).toEqual(comparable(expectedValue(f.value!)));
            expect(target.columns[i][0]).toBe(null);
            values++;
          });
          expect(target.columns[features.length][1]).toBe(null);
          // Through the reader as the store uses it: the repeated feature gets the value too.
          const whole = newTarget(1, asked.length);
          new FeastDumpRowReader(fields).read(payload, whole, 0, {});
          expect(comparable(whole.columns[asked.length - 1][0])).toEqual(comparable(expectedValue(features[0].value!)));
        }
      }
      expect(values).toBe(repo === 'rich' ? 300 : 60);
      expect(onePass).toBeGreaterThan(0);
    });
  }

  it('reads random values of every type as HMGET and the general decoder do, in every hash encoding', async () => {
    const next = random(20_261_203);
    let onePass = 0;
    let general = 0;
    for (let round = 0; round < 120; round++) {
      const name = Buffer.from(`property:${round}`);
      await client.del(name);
      // Few to many features: small listpacks, LZF-compressed ones, and past 128 fields or with a value over 64 bytes (a round in 4 has long values) a hashtable, read the general way.
      const count = 1 + Math.floor(next() * (round % 10 === 9 ? 150 : 60));
      const view = `v${round % 3}`;
      const stored: [Buffer, Buffer][] = [];
      const written = Array.from({ length: count }, (_, f) => {
        const type = TYPES[Math.floor(next() * TYPES.length)];
        const value = valueOf(type, next, round % 4 === 3);
        const bytes = valueEncoder(type, 'test')(value);
        stored.push([Buffer.from(feastFeatureField(view, `f${f}`)), Buffer.from(bytes)]);
        return `f${f}`;
      });
      // Another view's fields in the same hash, and most rounds this view's event time.
      stored.push([Buffer.from(feastFeatureField('other', 'x')), Buffer.from(valueEncoder(Float64, 'test')(1.5))]);
      const hasTs = next() < 0.85;
      if (hasTs) stored.push([Buffer.from(feastTimestampField(view)), Buffer.from(encodeTimestamp(BigInt(Math.floor(next() * 2 ** 50))))]);
      // The hash's order is not the read's: shuffle the fields before HSET.
      stored.sort(() => next() - 0.5);
      await client.sendCommand(['HSET', name, ...stored.flat()]);

      const asked = [...written.filter(() => next() < 0.7), 'missing'].sort(() => next() - 0.5);
      const fields = [Buffer.from(feastTimestampField(view)), ...asked.map((f) => Buffer.from(feastFeatureField(view, f)))];
      const hmget = (await buffers.sendCommand(['HMGET', name, ...fields])) as unknown as (Buffer | null)[];
      const expected = {
        eventTimestamps: [hmget[0] ? decodeTimestamp(hmget[0]) : null],
        columns: asked.map((_, i) => [hmget[0] && hmget[i + 1] ? decodeValue(hmget[i + 1]!) : null]),
      };
      const payload = await dump(name);
      const reader = new FeastDumpRowReader(fields);
      const fast = newTarget(1, asked.length);
      const pairs = readListpackRow(payload, reader, new Int32Array(2 * fields.length), fast, 0, {});
      if (pairs === undefined) {
        general++;
        // The one pass declined: it touched nothing, and the reader's general path answers.
        expect(fast).toEqual(newTarget(1, asked.length));
        expect(reader.read(payload, fast, 0, {})).toBe(stored.length);
      } else {
        onePass++;
        expect(pairs).toBe(stored.length);
      }
      expect(comparable(fast), `round ${round}`).toEqual(comparable(expected));
    }
    // Both paths were exercised: most hashes in one pass, the hashtables the general way.
    expect(onePass).toBeGreaterThan(60);
    expect(general).toBeGreaterThan(0);
  });

  it('declines bytes that are not a whole listpack, touching nothing', async () => {
    const name = Buffer.from('truncated');
    const fields = [Buffer.from(feastTimestampField('v')), Buffer.from(feastFeatureField('v', 'a'))];
    await client.sendCommand(['HSET', name, fields[0], Buffer.from(encodeTimestamp(1_000_000n)), fields[1], Buffer.from(valueEncoder(Float64, 'test')(2.5))]);
    const payload = await dump(name);
    const reader = new FeastDumpRowReader(fields);
    const whole = newTarget(1, 1);
    expect(readListpackRow(payload, reader, new Int32Array(4), whole, 0, {})).toBe(2);
    expect(whole).toEqual({ eventTimestamps: [1_000_000n], columns: [[2.5]] });
    for (let cut = 1; cut < payload.length - 10; cut++) {
      const bad = Buffer.concat([payload.subarray(0, cut), payload.subarray(cut + 1)]);
      const target = newTarget(1, 1);
      expect(readListpackRow(bad, reader, new Int32Array(4), target, 0, {}), `without byte ${cut}`).toBeUndefined();
      expect(target).toEqual(newTarget(1, 1));
    }
  });
});
