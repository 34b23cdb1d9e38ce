import type { ValueType } from '../definitions/value-type.js';

/*
 * Feast's feature server writes its answers with Python's json module: a float is
 * printed as Python's repr (`1.0`, `1e-05`, `1e+16`), an int64 with all its digits. A
 * client in Python parses `1` as an int and `1.0` as a float, so the JSON text itself is
 * part of the wire, not only the numbers it denotes.
 */

/** `x` as Python's `repr(float)` prints it: the shortest round-trip digits, `.0` on whole numbers, exponents outside [1e-4, 1e16). */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  // toExponential() without an argument gives the shortest digits that read back as x.
  const [mantissa, exponentText] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}

/** JavaScript and Python print a float alike unless it is whole or below 1e-4 or from 1e16 on. */
export function floatText(x: number): string {
  const abs = Math.abs(x);
  if (abs >= 1e-4 && abs < 1e16) {
    if (!Number.isInteger(x)) return String(x);
    // Whole and below 1e16: JavaScript prints every digit, Python adds `.0`.
    return x === 0 && 1 / x < 0 ? '-0.0' : `${x}.0`;
  }
  return x === 0 ? (1 / x < 0 ? '-0.0' : '0.0') : pythonFloat(x);
}

const FLOAT_KINDS = new Set(['Float32', 'Float64']);

/** Is a column of this type printed as Python floats (a float, or a list of them)? */
export function isFloatType(dtype: ValueType | undefined): boolean {
  if (!dtype) return false;
  return FLOAT_KINDS.has(dtype.kind) || (dtype.kind === 'Array' && FLOAT_KINDS.has(dtype.of.kind));
}

/**
 * One wire value as JSON text: bigints with all their digits (JSON.stringify refuses
 * them, Number() would round int64 beyond 2^53), floats as Python prints them, the rest
 * as JSON.stringify writes them (which is how Python writes strings, bools and null).
 */
export function wireValueJson(value: unknown, float: boolean): string {
  if (typeof value === 'number') return float ? floatText(value) : Number.isFinite(value) ? String(value) : 'null';
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return float ? floatText(Number(value)) : String(value);
  if (Array.isArray(value)) return `[${value.map((item) => wireValueJson(item, float)).join(',')}]`;
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? Number(v) : v));
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An event time as protobuf's JSON writes a Timestamp (which Feast's server passes on):
 * RFC 3339 in UTC with Z, no fraction for whole seconds, else 3 or 6 digits.
 */
export function wireTimestamp(micros: bigint): string {
  // Within 2^53 the arithmetic is exact in doubles, and cheaper than in bigints.
  if (micros <= MAX_SAFE && micros >= -MAX_SAFE) {
    const m = Number(micros);
    // `%` of whole doubles is exact; a division rounded near a whole second would not be.
    let part = m % 1_000_000;
    if (part < 0) part += 1_000_000;
    const whole = (m - part) / 1_000_000;
    const stem = new Date(whole * 1000).toISOString().slice(0, 19);
    if (part === 0) return `${stem}Z`;
    const text = String(part).padStart(6, '0');
    return `${stem}.${text.endsWith('000') ? text.slice(0, 3) : text}Z`;
  }
  const seconds = micros >= 0n ? micros / 1_000_000n : -((-micros + 999_999n) / 1_000_000n);
  const fraction = micros - seconds * 1_000_000n;
  const base = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  if (fraction === 0n) return `${base}Z`;
  const digits = String(fraction).padStart(6, '0');
  return `${base}.${digits.endsWith('000') ? digits.slice(0, 3) : digits}Z`;
}
