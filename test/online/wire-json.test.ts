import { describe, expect, it } from 'vitest';
import { pythonFloat, wireTimestamp, wireValueJson } from '../../src/online/wire-json.js';

describe("the wire's JSON text, as Feast's server (Python's json) writes it", () => {
  it("prints floats as Python's repr: .0 on whole numbers, exponents below 1e-4 and from 1e16", () => {
    // Expected: Python 3.11's repr() of each value.
    const cases: [number, string][] = [
      [1.0, '1.0'],
      [0.5, '0.5'],
      [-0.0, '-0.0'],
      [1e16, '1e+16'],
      [1.5e16, '1.5e+16'],
      [123456789012345.0, '123456789012345.0'],
      [1e15, '1000000000000000.0'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1.5e-7, '1.5e-07'],
      [1e22, '1e+22'],
      [-2.5e-5, '-2.5e-05'],
      [0.1 + 0.2, '0.30000000000000004'],
      [5e-324, '5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [100.0, '100.0'],
      [2.71, '2.71'],
      [744.0, '744.0'],
    ];
    for (const [value, python] of cases) {
      expect(pythonFloat(value), python).toBe(python);
      expect(wireValueJson(value, true), python).toBe(python);
    }
  });

  it('writes int64 with all its digits, and integers of other columns as integers', () => {
    expect(wireValueJson(-9007199254740993n, false)).toBe('-9007199254740993');
    expect(wireValueJson([1n, null, 3], false)).toBe('[1,null,3]');
    expect(wireValueJson(1001, false)).toBe('1001');
    expect(wireValueJson([1, 2.5], true)).toBe('[1.0,2.5]');
  });

  it('writes event times as protobuf JSON writes a Timestamp: no fraction for whole seconds, else 3 or 6 digits', () => {
    expect(wireTimestamp(0n)).toBe('1970-01-01T00:00:00Z');
    expect(wireTimestamp(1_736_200_800_000_000n)).toBe('2025-01-06T22:00:00Z');
    expect(wireTimestamp(1_736_200_800_123_000n)).toBe('2025-01-06T22:00:00.123Z');
    expect(wireTimestamp(1_736_200_800_000_001n)).toBe('2025-01-06T22:00:00.000001Z');
    expect(wireTimestamp(-1n)).toBe('1969-12-31T23:59:59.999999Z');
  });
});
