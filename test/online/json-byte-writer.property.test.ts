import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonByteWriter } from '../../src/online/json-byte-writer.js';
import { writeWireResponse } from '../../src/online/wire-response.js';
import { writeFloat, writeWireValue } from '../../src/online/wire-values.js';
import { Float64, Int64, String as StringType } from '../../src/definitions/index.js';

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** What a writer holds after `write`, as text. */
function written(write: (w: JsonByteWriter) => void, capacity = 16): string {
  const w = new JsonByteWriter(capacity);
  write(w);
  return decoder.decode(w.finish());
}

/** Strings that need every escape: quotes, backslashes, control characters, lone and paired surrogates, non-ASCII of each UTF-8 length. */
const nastyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u007f', '\u2028', 'é', '€', '😀', '\ud800', '\udfff', 'a', '/') }),
);

/** Doubles of every kind, and the short decimals feature values mostly are. */
const anyDouble = fc.oneof(
  fc.double(),
  fc.constantFrom(
    -0,
    0,
    1e21,
    5e-7,
    1e-4,
    9.999999999999999e-5,
    1e16,
    1e16 - 2,
    2 ** 53,
    2 ** 53 + 2,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    Number.NaN,
    -Infinity,
  ),
  fc.tuple(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 12 })).map(([n, k]) => n / 10 ** k),
  fc.tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 49 })).map(([id, f]) => id + f / 1000),
);

describe('JsonByteWriter', () => {
  it('writes any string as the UTF-8 bytes of JSON.stringify, through buffer growth', () => {
    fc.assert(
      fc.property(fc.array(nastyString, { maxLength: 8 }), (strings) => {
        const w = new JsonByteWriter(16);
        for (const s of strings) w.string(s);
        expect([...w.finish()]).toEqual([...encoder.encode(strings.map((s) => JSON.stringify(s)).join(''))]);
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes as JSON.stringify does: short escapes, \\u00XX, lone surrogates as \\udXXX, U+2028 and DEL as they are', () => {
    // Expected texts written by hand from ECMA-262's QuoteJSONString.
    expect(written((w) => w.string('a"b\\c'))).toBe('"a\\"b\\\\c"');
    expect(written((w) => w.string('\b\t\n\f\r\u0000\u001f'))).toBe('"\\b\\t\\n\\f\\r\\u0000\\u001f"');
    expect(written((w) => w.string('\ud800x\udc00'))).toBe('"\\ud800x\\udc00"');
    expect(written((w) => w.string('😀\u2028\u007f'))).toBe('"😀\u2028\u007f"');
  });

  it('writes whole numbers as their decimal digits, zero-padded to a width', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.integer({ min: 1, max: 20 }), (n, width) => {
        expect(written((w) => w.digits(n, width))).toBe(String(n).padStart(width, '0'));
      }),
      { numRuns: 5000 },
    );
  });

  it('writes n / 10^k with k fraction digits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 0x7fffffff }), fc.integer({ min: 1, max: 15 }), (n, k) => {
        const padded = String(n).padStart(k + 1, '0');
        expect(written((w) => w.fixed(n, k))).toBe(`${padded.slice(0, -k)}.${padded.slice(-k)}`);
      }),
      { numRuns: 5000 },
    );
  });

  it('keeps the bytes written before a growth', () => {
    const long = 'x'.repeat(5000);
    expect(
      written((w) => {
        w.ascii('[');
        w.string(long);
        w.text('{"é":1}');
        w.bytes(encoder.encode(']'));
      }, 16),
    ).toBe(`["${long}"{"é":1}]`);
  });
});

describe('wire numbers', () => {
  it("prints floats as Python's json module does (expected texts from Python 3's json.dumps)", () => {
    const python: [number, string][] = [
      [0.1, '0.1'],
      [-0.5, '-0.5'],
      [32718.049, '32718.049'],
      [1e-4, '0.0001'],
      [0.00012, '0.00012'],
      [9.999999999999999e-5, '9.999999999999999e-05'],
      [5e-7, '5e-07'],
      [1e21, '1e+21'],
      [1e16, '1e+16'],
      [9999999999999998.0, '9999999999999998.0'],
      [0.1 + 0.2, '0.30000000000000004'],
      [1 / 3, '0.3333333333333333'],
      [0.1 + 0.7, '0.7999999999999999'],
      [744.0, '744.0'],
      [-0, '-0.0'],
      [0, '0.0'],
      [1e15 + 0.5, '1000000000000000.5'],
      [4503599627370495.5, '4503599627370495.5'],
      [1.005, '1.005'],
      [-7.125e-3, '-0.007125'],
      [Number.NaN, 'NaN'],
      [Infinity, 'Infinity'],
      [-Infinity, '-Infinity'],
      [5e-324, '5e-324'],
      [Number.MAX_VALUE, '1.7976931348623157e+308'],
      [2 ** 53 + 1, '9007199254740992.0'],
      [12345678.12345678, '12345678.12345678'],
    ];
    for (const [x, text] of python)
      expect(
        written((w) => writeFloat(w, x)),
        text,
      ).toBe(text);
  });

  it('prints a float between 1e-4 and 1e16 that is not whole as JavaScript does (the same shortest digits Python prints)', () => {
    fc.assert(
      fc.property(anyDouble, (x) => {
        const abs = Math.abs(x);
        fc.pre(abs >= 1e-4 && abs < 1e16 && !Number.isInteger(x));
        expect(written((w) => writeFloat(w, x))).toBe(String(x));
      }),
      { numRuns: 20_000 },
    );
  });

  it('prints a whole float with .0, and reads back every float it prints', () => {
    fc.assert(
      fc.property(anyDouble, (x) => {
        const text = written((w) => writeFloat(w, x));
        if (Number.isNaN(x)) expect(text).toBe('NaN');
        else expect(Object.is(Number(text), x)).toBe(true);
        if (Number.isInteger(x) && Math.abs(x) < 1e16) expect(text).toBe(`${Object.is(x, -0) ? '-0' : String(x)}.0`);
      }),
      { numRuns: 20_000 },
    );
  });

  it('prints a number of an integer or untyped column as JSON.stringify does (NaN and infinities as null, -0 as 0)', () => {
    fc.assert(
      fc.property(anyDouble, (x) => {
        expect(written((w) => writeWireValue(w, x, false))).toBe(JSON.stringify(x));
      }),
      { numRuns: 20_000 },
    );
    expect(written((w) => writeWireValue(w, -9007199254740993n, false))).toBe('-9007199254740993');
  });
});

describe('the wire body', () => {
  const column: fc.Arbitrary<{ values: unknown[]; dtype?: typeof Float64 | typeof Int64 | typeof StringType }> = fc.oneof(
    fc.array(fc.oneof(fc.integer(), fc.constant(null)), { minLength: 3, maxLength: 3 }).map((values) => ({ values, dtype: Int64 })),
    fc.array(fc.oneof(nastyString, fc.constant(null)), { minLength: 3, maxLength: 3 }).map((values) => ({ values, dtype: StringType })),
    fc.array(fc.oneof(fc.boolean(), anyDouble, nastyString, fc.constant(null)), { minLength: 3, maxLength: 3 }).map((values) => ({ values })),
    fc
      .array(
        fc.oneof(
          fc.integer({ min: -1e6, max: 1e6 }).map((n) => n / 8),
          fc.constant(null),
        ),
        { minLength: 3, maxLength: 3 },
      )
      .map((values) => ({ values, dtype: Float64 })),
  );
  const status = fc.constantFrom('PRESENT', 'NULL_VALUE', 'NOT_FOUND', 'OUTSIDE_MAX_AGE');
  const instant = fc.constantFrom(0n, 1_736_200_800_000_000n, 1_736_200_800_123_000n, 1_736_200_800_000_001n, -1n);
  const instantText = new Map<bigint, string>([
    [0n, '1970-01-01T00:00:00Z'],
    [1_736_200_800_000_000n, '2025-01-06T22:00:00Z'],
    [1_736_200_800_123_000n, '2025-01-06T22:00:00.123Z'],
    [1_736_200_800_000_001n, '2025-01-06T22:00:00.000001Z'],
    [-1n, '1969-12-31T23:59:59.999999Z'],
  ]);

  it("is JSON.stringify of Feast's column-major object, with float columns as Python prints them", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name: nastyString,
            column,
            statuses: fc.array(status, { minLength: 3, maxLength: 3 }),
            times: fc.array(instant, { minLength: 3, maxLength: 3 }),
            // Columns of one view share their arrays (the writer copies the bytes it wrote for them).
            share: fc.constantFrom('none', 'both', 'statuses', 'times'),
          }),
          {
            minLength: 1,
            maxLength: 5,
          },
        ),
        (generated) => {
          const specs = generated.map((s) => ({ ...s }));
          for (let i = 1; i < specs.length; i++) {
            if (specs[i].share === 'both' || specs[i].share === 'statuses') specs[i].statuses = specs[i - 1].statuses;
            if (specs[i].share === 'both' || specs[i].share === 'times') specs[i].times = specs[i - 1].times;
          }
          const columns = specs.map((s) => ({ name: s.name, values: s.column.values, statuses: s.statuses, eventTimestamps: s.times, dtype: s.column.dtype }));
          // Floats here are multiples of 1/8: Python prints them with at least one decimal, as toFixed does for these.
          const floatMark = '\u0000float:';
          const expected = JSON.stringify({
            results: specs.map((s) => ({
              values:
                s.column.dtype === Float64
                  ? s.column.values.map((v) =>
                      v === null || typeof v !== 'number' ? null : `${floatMark}${Number.isInteger(v) ? (v as number).toFixed(1) : String(v)}`,
                    )
                  : s.column.values,
              statuses: s.statuses,
              event_timestamps: s.times.map((t) => instantText.get(t)),
            })),
            metadata: { feature_names: specs.map((s) => s.name) },
          }).replace(/"\\u0000float:([^"]*)"/g, '$1');
          expect(decoder.decode(writeWireResponse(columns))).toBe(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
