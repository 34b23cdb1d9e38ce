import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tileIndex } from '../../src/stream/window.js';

/** floor(t / (slide * 10^6)) in BigInt arithmetic: the definition, independent of the code's double-precision shortcut. */
function floorTiles(t: bigint, slideSeconds: number): number {
  const width = BigInt(slideSeconds) * 1_000_000n;
  const q = t / width;
  return Number(t % width !== 0n && t < 0n ? q - 1n : q);
}

describe('tileIndex', () => {
  it('puts each tile boundary in the tile it starts, also before 1970', () => {
    expect([0n, 19_999_999n, 20_000_000n, -1n, -20_000_000n, -20_000_001n].map((t) => tileIndex(t, 20))).toEqual([0, 0, 1, -1, -1, -2]);
    // 2^60 µs is beyond the doubles' exact range: the BigInt path.
    expect(tileIndex(2n ** 60n, 1)).toBe(1_152_921_504_606);
    expect(tileIndex(-(2n ** 60n), 1)).toBe(-1_152_921_504_607);
  });

  it('equals floor division for any time and slide, next to tile boundaries especially', () => {
    const slide = fc.constantFrom(1, 7, 10, 20, 60, 1440, 3600, 86_400);
    const time = fc.oneof(
      fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }),
      fc.tuple(fc.bigInt({ min: -(2n ** 32n), max: 2n ** 32n }), fc.integer({ min: -1, max: 1 })).map(([k, d]) => [k, d] as const),
    );
    fc.assert(
      fc.property(time, slide, (t, s) => {
        // A tile index and an offset of -1, 0 or +1 µs from its start.
        const micros = typeof t === 'bigint' ? t : t[0] * BigInt(s) * 1_000_000n + BigInt(t[1]);
        expect(tileIndex(micros, s)).toBe(floorTiles(micros, s));
      }),
      { numRuns: 2000 },
    );
  });
});
