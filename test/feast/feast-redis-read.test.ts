import { describe, expect, it } from 'vitest';
import { OnlineStoreConnectionError } from '../../src/errors.js';
import { decodeValueAt } from '../../src/feast/value-proto-decode-at.js';
import { decodeFeastRows } from '../../src/runtime/node/redis/feast-redis-reply.js';
import { keySlot } from '../../src/runtime/node/redis/key-slot.js';
import { lzfDecompress } from '../../src/runtime/node/redis/lzf.js';
import { readDumpedHash } from '../../src/runtime/node/redis/redis-dump.js';
import { comparable, expectedValue, fromHex, readJsonFixture, REPOS, toHex, type RedisKeyFixture } from './online-fixtures.js';

const text = (s: string) => new TextEncoder().encode(s);
/** `bytes` inside other bytes, so a reader that ignores start and end fails. */
const embedded = (bytes: Uint8Array): [Uint8Array, number, number] => {
  const out = new Uint8Array(bytes.length + 7).fill(0xee);
  out.set(bytes, 3);
  return [out, 3, 3 + bytes.length];
};

describe('decodeValueAt', () => {
  for (const repo of REPOS) {
    it(`decodes every value Feast wrote for the ${repo} repo as Feast decoded it, from inside a bigger buffer`, () => {
      let checked = 0;
      for (const { fields, decoded } of readJsonFixture<RedisKeyFixture[]>(repo, 'redis-keys.json')) {
        for (const [fieldHex, valueHex] of Object.entries(fields)) {
          const feast = decoded.fields[fieldHex];
          if (feast.name.startsWith('_ts:')) continue;
          expect(comparable(decodeValueAt(...embedded(fromHex(valueHex)))), feast.name).toEqual(comparable(expectedValue(feast.value!)));
          checked++;
        }
      }
      expect(checked).toBe(repo === 'rich' ? 300 : 60);
    });
  }

  it('reads the scalar members a serving path meets most', () => {
    // Hand-encoded Values: tag (field << 3 | wire type), then the payload.
    expect(decodeValueAt(...embedded(fromHex('29000000000000f03f')))).toBe(1);
    expect(decodeValueAt(...embedded(fromHex('350000c03f')))).toBe(1.5);
    expect(decodeValueAt(...embedded(fromHex('208002')))).toBe(256);
    expect(decodeValueAt(...embedded(fromHex('18ffffffff07')))).toBe(2_147_483_647);
    expect(decodeValueAt(...embedded(fromHex('3801')))).toBe(true);
    expect(decodeValueAt(...embedded(fromHex('3800')))).toBe(false);
    expect(decodeValueAt(...embedded(fromHex('40e0c8c0d806')))).toEqual(new Date(1_796_220_000_000));
    expect(decodeValueAt(...embedded(fromHex('1203616263')))).toBe('abc');
    expect(decodeValueAt(...embedded(fromHex('0a020102')))).toEqual(Uint8Array.of(1, 2));
    expect(decodeValueAt(...embedded(new Uint8Array(0)))).toBe(null);
  });

  it('gives what the general decoder gives where the short path does not apply', () => {
    // int64 -1 is ten varint bytes; 2^53 + 1 is no longer a safe number.
    expect(decodeValueAt(...embedded(fromHex('20ffffffffffffffffff01')))).toBe(-1);
    expect(decodeValueAt(...embedded(fromHex('208180808080808010')))).toBe(2n ** 53n + 1n);
    expect(decodeValueAt(...embedded(fromHex('18ffffffffffffffffff01')))).toBe(-1);
    // Negative UnixTimestamp seconds: one second before 1970.
    expect(decodeValueAt(...embedded(fromHex('40ffffffffffffffffff01')))).toEqual(new Date(-1000));
    // Non-ASCII, a leading U+FEFF kept as text, and ASCII longer than the hand-read length.
    expect(decodeValueAt(...embedded(fromHex('1203c3a978')))).toBe('éx');
    expect(decodeValueAt(...embedded(fromHex('1204efbbbf61')))).toBe('\ufeffa');
    expect(decodeValueAt(...embedded(text(`\u0012\u0028${'a'.repeat(40)}`)))).toBe('a'.repeat(40));
    // Two members: protobuf keeps the last one.
    expect(decodeValueAt(...embedded(fromHex('2005290000000000000040')))).toBe(2);
    // A double list (field 15, packed).
    expect(decodeValueAt(...embedded(fromHex('7a0a0a08000000000000f03f')))).toEqual([1]);
  });

  it('copies bytes out rather than pointing into the reply', () => {
    const [buffer, start, end] = embedded(fromHex('0a020102'));
    const value = decodeValueAt(buffer, start, end) as Uint8Array;
    buffer.fill(0);
    expect(value).toEqual(Uint8Array.of(1, 2));
  });

  it('fails on a truncated value as the general decoder does', () => {
    expect(() => decodeValueAt(...embedded(fromHex('1205616263')))).toThrow('premature EOF');
  });
});

describe('lzfDecompress', () => {
  it('copies literal runs and repeats back references, overlapping ones byte by byte', () => {
    // "ab" as a literal run of 2, then a reference of 3 bytes one back from the position before: "aba".
    expect(lzfDecompress(Uint8Array.of(0x01, 0x61, 0x62, 0x20, 0x01), 5)).toEqual(text('ababa'));
    // A long reference: top bits 7, one length byte (+7 +2), offset 0: "a" repeated.
    expect(lzfDecompress(Uint8Array.of(0x00, 0x61, 0xe0, 0x03, 0x00), 13)).toEqual(text('a'.repeat(13)));
  });

  it('answers undefined for input that is not LZF of that length', () => {
    expect(lzfDecompress(Uint8Array.of(0x01, 0x61, 0x62), 3)).toBeUndefined();
    expect(lzfDecompress(Uint8Array.of(0x01, 0x61), 2)).toBeUndefined();
    // A reference before the start of the output.
    expect(lzfDecompress(Uint8Array.of(0x00, 0x61, 0x20, 0x05), 4)).toBeUndefined();
  });
});

describe('keySlot', () => {
  it("matches Redis' documented slots and the CRC16-XMODEM check value", () => {
    // CLUSTER KEYSLOT examples from Redis' documentation.
    expect(keySlot(text('somekey'))).toBe(11058);
    expect(keySlot(text('foo{hash_tag}'))).toBe(2515);
    expect(keySlot(text('bar{hash_tag}'))).toBe(2515);
    // CRC16-XMODEM("123456789") is 0x31c3, the standard check value.
    expect(keySlot(text('123456789'))).toBe(0x31c3 & 0x3fff);
    expect(keySlot(text('x{123456789}y'))).toBe(0x31c3 & 0x3fff);
  });
});

describe('readDumpedHash', () => {
  const none = () => {
    throw new Error('nothing should be visited');
  };

  it('answers undefined for types it does not read', () => {
    // A string "ab" (type 0) and a hash as a Redis 6 ziplist (type 13), each with version and CRC.
    const footer = '0900' + '00'.repeat(8);
    expect(readDumpedHash(fromHex(`00026162${footer}`), none)).toBeUndefined();
    expect(readDumpedHash(fromHex(`0d0d0d00000009000000000002ff${footer}`), none)).toBeUndefined();
    expect(readDumpedHash(new Uint8Array(4), none)).toBeUndefined();
  });

  it('reads a hand-built listpack and refuses one whose count or length is wrong', () => {
    // A listpack of two entries: "f" (6-bit string), 5 (7-bit integer): total 12 bytes, count 2.
    const listpack = '0c0000000200' + '816602' + '0501' + 'ff';
    const lp = (hex: string) => fromHex(`10${(hex.length / 2).toString(16).padStart(2, '0')}${hex}0a00${'00'.repeat(8)}`);
    const pairs: string[] = [];
    expect(readDumpedHash(lp(listpack.replace('0c000000', '0e000000')), none)).toBeUndefined();
    expect(
      readDumpedHash(lp(listpack), (f, fs, fe, v, vs, ve) => {
        pairs.push(`${toHex(f.subarray(fs, fe))}=${toHex(v.subarray(vs, ve))}`);
      }),
    ).toBe(1);
    expect(pairs).toEqual([`${toHex(text('f'))}=${toHex(text('5'))}`]);
    expect(readDumpedHash(lp(listpack.replace('0200', '0400')), () => {})).toBeUndefined();
  });
});

describe('decodeFeastRows', () => {
  // READ_FEAST_ROWS' reply as cmsgpack packs it: [false, [ts, value, false]].
  const ts = '08e0c8c0d806';
  const value = '29000000000000f03f';
  const reply = fromHex(`92c293a6${ts}a9${value}c2`);

  it('reads rows in place, a false row as NOT_FOUND and a false field as null', () => {
    const target = {
      eventTimestamps: [7n, 7n, 7n] as (bigint | null)[],
      columns: [
        [0, 0, 0],
        [0, 0, 0],
      ] as unknown[][],
    };
    decodeFeastRows(reply, [2, 0], 3, target, {});
    expect(target.eventTimestamps).toEqual([1_796_220_000_000_000n, 7n, 7n]);
    expect(target.columns).toEqual([
      [1, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('fails naming the store when the reply is not what the script packs', () => {
    const target = { eventTimestamps: [], columns: [[], []] };
    expect(() => decodeFeastRows(reply.subarray(0, 10), [0, 1], 3, target, {})).toThrow(OnlineStoreConnectionError);
    expect(() => decodeFeastRows(reply, [0], 3, target, {})).toThrow('not 1 rows');
  });
});
