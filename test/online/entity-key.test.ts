import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Int32, Int64, String as Str, UnixTimestamp } from '../../src/definitions/index.js';
import { compareCodePoints, encodeEntityKey, entityKeyId, entityKeyToString } from '../../src/online/entity-key.js';

/** Little-endian u32 bytes, written out by hand. */
const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe("entity keys in Feast's serialization v3", () => {
  it('encodes one Int64 key byte for byte', () => {
    // count 1 | STRING(2) | len 9 | "driver_id" | INT64(4) | len 8 | 1001 as little-endian int64
    const expected = [...u32(1), ...u32(2), ...u32(9), ...ascii('driver_id'), ...u32(4), ...u32(8), 0xe9, 0x03, 0, 0, 0, 0, 0, 0];
    expect([...encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: 1001 }])]).toEqual(expected);
  });

  it('sorts composite keys by name, all names before all values', () => {
    const key = encodeEntityKey([
      { joinKey: 'driver_id', type: Int32, value: -1 },
      { joinKey: 'customer_id', type: Str, value: 'ab' },
    ]);
    const expected = [
      ...u32(2),
      ...u32(2),
      ...u32(11),
      ...ascii('customer_id'),
      ...u32(2),
      ...u32(9),
      ...ascii('driver_id'),
      ...u32(2),
      ...u32(2),
      ...ascii('ab'),
      ...u32(3),
      ...u32(4),
      0xff,
      0xff,
      0xff,
      0xff,
    ];
    expect([...key]).toEqual(expected);
  });

  it('tells Int64 1001 and String "1001" apart, and accepts bigint and numeric strings for Int64', () => {
    const asInt = entityKeyToString(encodeEntityKey([{ joinKey: 'id', type: Int64, value: 1001 }]));
    const asString = entityKeyToString(encodeEntityKey([{ joinKey: 'id', type: Str, value: '1001' }]));
    expect(asInt).not.toBe(asString);
    expect(entityKeyToString(encodeEntityKey([{ joinKey: 'id', type: Int64, value: 1001n }]))).toBe(asInt);
    expect(entityKeyToString(encodeEntityKey([{ joinKey: 'id', type: Int64, value: '1001' }]))).toBe(asInt);
    expect(entityKeyToString(encodeEntityKey([{ joinKey: 'id', type: UnixTimestamp, value: 1001 }]))).not.toBe(asInt);
  });

  it('orders names by code point as Python does, and writes the name length in code points', () => {
    // By code point U+FF5E < U+1F600; by UTF-16 unit U+1F600 (0xD83D 0xDE00) comes first.
    expect(compareCodePoints('\uff5e', '\u{1f600}')).toBeLessThan(0);
    expect(['\u{1f600}', '\uff5e'].sort()).toEqual(['\u{1f600}', '\uff5e']); // UTF-16 order disagrees
    const key = encodeEntityKey([
      { joinKey: '\u{1f600}', type: Int64, value: 1 },
      { joinKey: '\uff5e', type: Int64, value: 2 },
    ]);
    // First name: U+FF5E, 1 code point, 3 UTF-8 bytes (ef bd 9e).
    expect([...key.slice(4, 15)]).toEqual([...u32(2), ...u32(1), 0xef, 0xbd, 0x9e]);
  });

  it('names the key and what was expected on bad values', () => {
    expect(() => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: 1.5 }])).toThrow(/entity key 'driver_id': expected an integer/);
    expect(() => encodeEntityKey([{ joinKey: 'driver_id', type: Int32, value: 2 ** 31 }])).toThrow(/expected an integer in \[-2147483648, 2147483647\]/);
    expect(() => encodeEntityKey([{ joinKey: 'name', type: Str, value: 5 }])).toThrow(/entity key 'name': expected a string/);
  });

  it("writes any int64 and int32 (number or bigint, negative too) as its two's-complement little-endian bytes", () => {
    // The oracle: the value mod 2^64, byte by byte, with BigInt arithmetic only.
    const le64 = (v: bigint) => Array.from({ length: 8 }, (_, i) => Number((BigInt.asUintN(64, v) >> BigInt(8 * i)) & 0xffn));
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.boolean(), (value, asNumber) => {
        const given = asNumber && Number.isSafeInteger(Number(value)) ? Number(value) : value;
        const key = encodeEntityKey([{ joinKey: 'id', type: Int64, value: given }]);
        expect([...key.slice(-8)]).toEqual(le64(value));
      }),
      { numRuns: 500 },
    );
    expect(() => encodeEntityKey([{ joinKey: 'id', type: Int64, value: 2n ** 63n }])).toThrow(/entity key 'id': expected an integer/);
    const le32 = (v: number) => Array.from({ length: 4 }, (_, i) => (v >>> (8 * i)) & 0xff);
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.boolean(), (value, asBigint) => {
        const key = encodeEntityKey([{ joinKey: 'id', type: Int32, value: asBigint ? BigInt(value) : value }]);
        expect([...key.slice(-4)]).toEqual(le32(value));
      }),
      { numRuns: 300 },
    );
    expect(() => encodeEntityKey([{ joinKey: 'id', type: Int32, value: -(2 ** 31) - 1 }])).toThrow(/expected an integer in \[-2147483648, 2147483647\]/);
  });

  it('gives distinct keys distinct ids', () => {
    const a = encodeEntityKey([{ joinKey: 'id', type: Int64, value: 256 }]);
    const b = encodeEntityKey([{ joinKey: 'id', type: Int64, value: 1 }]);
    expect(entityKeyId(a)).not.toBe(entityKeyId(b));
    expect(entityKeyId(a)).toBe(entityKeyId(encodeEntityKey([{ joinKey: 'id', type: Int64, value: 256n }])));
  });
});
