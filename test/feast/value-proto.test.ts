import { describe, expect, it } from 'vitest';
import { ArrayOf, Bool, Float32, Float64, Int32, Int64, String as Str, UnixTimestamp } from '../../src/definitions/index.js';
import { murmur3_32 } from '../../src/feast/murmur3.js';
import { feastFeatureField, feastRedisKey, feastTimestampField, splitFeastRedisKey } from '../../src/feast/redis-layout.js';
import { pythonFloatRepr } from '../../src/feast/sqlite-layout.js';
import { decodeTimestamp, encodeTimestamp } from '../../src/feast/timestamp-proto.js';
import { decodeValue, encodeValue, valueEncoder } from '../../src/feast/value-proto.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { comparable, expectedValue, fromHex, readJsonFixture, REPOS, toHex, viewSchemas, type RedisKeyFixture } from './online-fixtures.js';

describe('murmur3_32', () => {
  it('matches published MurmurHash3 x86_32 vectors', () => {
    // From the reference implementation's test suite and Python's mmh3 documentation.
    expect(murmur3_32('')).toBe(0);
    expect(murmur3_32('', 1)).toBe(0x514e28b7);
    expect(murmur3_32('', 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3_32(Uint8Array.of(0, 0, 0, 0))).toBe(0x2362f9de);
    expect(murmur3_32('foo')).toBe(4138058784);
    expect(murmur3_32('hello')).toBe(0x248bfa47);
    expect(murmur3_32('The quick brown fox jumps over the lazy dog')).toBe(0x2e4ff723);
    expect(murmur3_32('aaaa', 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3_32('abc', 0x9747b28c)).toBe(0xc84a62dd);
  });

  it("names Feast's field for driver_hourly_stats:conv_rate 0xdae36061 (redis-layout.md)", () => {
    expect(murmur3_32('driver_hourly_stats:conv_rate')).toBe(0xdae36061);
    expect(toHex(feastFeatureField('driver_hourly_stats', 'conv_rate'))).toBe('6160e3da');
  });
});

for (const repo of REPOS) {
  describe(`Feast's Redis bytes of the ${repo} repo (redis-keys.json)`, () => {
    const keys = readJsonFixture<RedisKeyFixture[]>(repo, 'redis-keys.json');
    const views = viewSchemas(repo);

    it('names each hash by the serialized entity key and the project', () => {
      for (const { key_hex, decoded } of keys) {
        const { join_keys, entity_values } = decoded.entity_key;
        const entityKey = encodeEntityKey(
          join_keys.map((joinKey, i) => {
            const [[member, value]] = Object.entries(entity_values[i]);
            return member === 'string_val' ? { joinKey, type: Str, value } : { joinKey, type: Int64, value: BigInt(value as string) };
          }),
        );
        expect(toHex(feastRedisKey(entityKey, decoded.project_suffix))).toBe(key_hex);
        expect(splitFeastRedisKey(fromHex(key_hex))).toEqual({ entityKey, project: decoded.project_suffix });
      }
    });

    it('decodes every field as Feast decoded it, and names it as Feast does', () => {
      let checked = 0;
      for (const { fields, decoded } of keys) {
        for (const [fieldHex, valueHex] of Object.entries(fields)) {
          const feast = decoded.fields[fieldHex];
          if (feast.name.startsWith('_ts:')) {
            expect(toHex(feastTimestampField(feast.name.slice(4)))).toBe(fieldHex);
            expect(decodeTimestamp(fromHex(valueHex))).toBe(BigInt(feast.seconds!) * 1_000_000n + BigInt(Math.floor(feast.nanos! / 1000)));
          } else {
            const [view, feature] = feast.name.split(':');
            expect(toHex(feastFeatureField(view, feature)), feast.name).toBe(fieldHex);
            expect(comparable(decodeValue(fromHex(valueHex))), feast.name).toEqual(comparable(expectedValue(feast.value!)));
          }
          checked++;
        }
      }
      // Every field of every hash: 40 hashes in rich, 5 in quickstart.
      expect(checked).toBe(repo === 'rich' ? 360 : 70);
    });

    it('encodes the same values to the same bytes, for every feast-edge type', () => {
      let encoded = 0;
      for (const { fields, decoded } of keys) {
        for (const [fieldHex, valueHex] of Object.entries(fields)) {
          const feast = decoded.fields[fieldHex];
          if (feast.name.startsWith('_ts:')) {
            expect(toHex(encodeTimestamp(decodeTimestamp(fromHex(valueHex))))).toBe(valueHex);
            continue;
          }
          const [view, feature] = feast.name.split(':');
          const type = views.get(view)!.features[feature];
          // Map, Json and Struct are read, not written: feast-edge has no such types to define.
          if (!type) continue;
          expect(toHex(encodeValue(expectedValue(feast.value!), type)), feast.name).toBe(valueHex);
          encoded++;
        }
      }
      expect(encoded).toBe(repo === 'rich' ? 300 : 30);
    });
  });
}

describe('Value encoding and decoding', () => {
  const roundTrip = (value: unknown, type?: Parameters<typeof encodeValue>[1]) => decodeValue(encodeValue(value, type));

  it('keeps Int64 exact past 2^53 as a bigint, and safe ones as numbers', () => {
    expect(roundTrip(2n ** 63n - 1n, Int64)).toBe(2n ** 63n - 1n);
    expect(roundTrip(-(2n ** 63n), Int64)).toBe(-(2n ** 63n));
    expect(roundTrip(9_007_199_254_740_993n, Int64)).toBe(9_007_199_254_740_993n);
    expect(roundTrip(256n, Int64)).toBe(256);
    expect(roundTrip([1n, 2n ** 60n], ArrayOf(Int64))).toEqual([1, 2n ** 60n]);
  });

  it('writes a null as the empty Value and keeps empty lists apart from nulls', () => {
    expect(encodeValue(null, Float32)).toEqual(new Uint8Array(0));
    expect(roundTrip(null, ArrayOf(Str))).toBe(null);
    expect(toHex(encodeValue([], ArrayOf(Str)))).toBe('6200');
    expect(roundTrip([], ArrayOf(Float32))).toEqual([]);
  });

  it('puts zero values in the oneof (they are set, not defaults)', () => {
    expect(toHex(encodeValue(false, Bool))).toBe('3800');
    expect(toHex(encodeValue(0, Int64))).toBe('2000');
    expect(roundTrip(0, Float64)).toBe(0);
  });

  it('refuses a value that does not fit its type, naming the column and row', () => {
    const encode = valueEncoder(Int32, "write to 'v': n");
    expect(() => encode(2 ** 31, 3)).toThrow("write to 'v': n[3]: expected an integer within Int32, got 2147483648");
    expect(() => valueEncoder(Str, 'c')('x'.length)).toThrow('expected a string');
    expect(() => valueEncoder(ArrayOf(Bool), 'c')([true, 1])).toThrow('an array of true or false');
    expect(() => valueEncoder(Float32, 'c')(1e39)).toThrow('c: expected a number within Float32, got 1e+39');
    expect(decodeValue(encodeValue(Infinity, Float32))).toBe(Infinity);
  });

  it('infers a type when the batch carries none', () => {
    expect(toHex(encodeValue(7))).toBe('2007');
    expect(decodeValue(encodeValue(0.1))).toBe(0.1);
    expect(decodeValue(encodeValue([1, 2.5]))).toEqual([1, 2.5]);
    expect(decodeValue(encodeValue(new Date(1_736_229_600_000)))).toEqual(new Date(1_736_229_600_000));
    expect(() => encodeValue({ a: 1 })).toThrow('expected a number, bigint, string');
  });

  it('stores UnixTimestamp as whole seconds, as Feast does', () => {
    expect(roundTrip(new Date(Date.UTC(2025, 0, 6, 0, 0, 0, 999)), UnixTimestamp)).toEqual(new Date(Date.UTC(2025, 0, 6)));
    expect(roundTrip([new Date(0), null], ArrayOf(UnixTimestamp))).toEqual([new Date(0), null]);
  });

  it('reads Json as its text by default, or parsed when asked', () => {
    const json = fromHex('82020a7b2261223a205b315d7d');
    expect(decodeValue(json)).toBe('{"a": [1]}');
    expect(decodeValue(json, { json: 'parsed' })).toEqual({ a: [1] });
  });

  it('reads a Map whose key is __proto__ as a plain key', () => {
    // Map { val: { "__proto__": Value { string_val: "x" } } }
    const inner = [0x0a, 9, ...new TextEncoder().encode('__proto__'), 0x12, 3, 0x12, 1, 0x78];
    const map = decodeValue(Uint8Array.of(0xa2, 0x01, inner.length + 2, 0x0a, inner.length, ...inner)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(Object.keys(map)).toEqual(['__proto__']);
  });

  it('writes Timestamps with floored seconds and positive nanos before 1970', () => {
    expect(decodeTimestamp(encodeTimestamp(-5n))).toBe(-5n);
    expect(toHex(encodeTimestamp(0n))).toBe('');
    expect(decodeTimestamp(encodeTimestamp(1_796_220_000_123_456n))).toBe(1_796_220_000_123_456n);
  });
});

describe("Python's repr of a float (Feast's value_text)", () => {
  it.each([
    [0.1, '0.1'],
    [100, '100.0'],
    [-0, '-0.0'],
    [1e-5, '1e-05'],
    [0.0001, '0.0001'],
    [1e16, '1e+16'],
    [1234567890123456, '1234567890123456.0'],
    [1.5e-10, '1.5e-10'],
    [Math.fround(22.2), '22.200000762939453'],
    [NaN, 'nan'],
    [-Infinity, '-inf'],
    // biome-ignore lint/correctness/noPrecisionLoss: the double nearest this literal is what Python prints
    [123456789012345678, '1.2345678901234568e+17'],
  ])('%s -> %s', (x, text) => expect(pythonFloatRepr(x)).toBe(text));
});
