import type { JsonByteWriter } from './json-byte-writer.js';
import { floatText } from './wire-json.js';

/*
 * Wire values written straight into a JsonByteWriter, byte for byte what wireValueJson
 * writes for the same value (floats as Python prints them, int64 whole, bytes as base64,
 * UnixTimestamp values as epoch seconds), without a string per value.
 */

const POWERS = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** 2^52: below it a scaled value is an exact integer and the decimal grid is coarser than the doubles' (see shortDecimal). */
const EXACT = 2 ** 52;

/**
 * `x` (finite, not whole, |x| in [1e-4, 1e16)) as JavaScript prints it, when it is a short
 * decimal: its digits are written and true returned, else nothing is written (false).
 *
 * Why this equals String(x): String(x) prints the decimal with the fewest significant
 * digits that reads back as x (ECMA-262 Number::toString). With |x| * 10^k < 2^52 the
 * step 10^-k is wider than x's ulp, so at most one decimal of k fraction digits reads
 * back as x, and it lies within 1.5 of x * 10^k as computed; n / 10^k === x checks it
 * exactly (both sides correctly rounded). The smallest k that succeeds has the fewest
 * significant digits: x's magnitude is the same for every candidate (a power of ten
 * between x and a candidate would itself read back as x).
 */
function shortDecimal(w: JsonByteWriter, x: number): boolean {
  const abs = x < 0 ? -x : x;
  for (let k = 1; k < POWERS.length; k++) {
    const p = POWERS[k];
    const scaled = abs * p;
    if (scaled >= EXACT) return false;
    const near = Math.round(scaled);
    // A candidate lies within about scaled * 2^-52 of scaled (see above): farther from every
    // integer, this k has none, and no division is needed to say so (2^-50 leaves a margin).
    const off = near - scaled;
    if (off > scaled * 2 ** -50 || -off > scaled * 2 ** -50) continue;
    // The nearest integer is the usual hit; its neighbours cover the rounding of abs * p.
    const n = near / p === abs ? near : (near - 1) / p === abs ? near - 1 : (near + 1) / p === abs ? near + 1 : -1;
    if (n >= 0) {
      writeFixed(w, x < 0, n, k);
      return true;
    }
  }
  return false;
}

/** `n / 10^k` with exactly k fraction digits (n < 2^52, whole). */
function writeFixed(w: JsonByteWriter, negative: boolean, n: number, k: number): void {
  if (negative) w.byte(0x2d);
  if (n < 0x80000000) {
    w.fixed(n, k);
  } else {
    const p = POWERS[k];
    const fraction = n % p;
    w.digits((n - fraction) / p);
    w.byte(0x2e);
    w.digits(fraction, k);
  }
}

/** A float as Python's repr prints it (see floatText). */
export function writeFloat(w: JsonByteWriter, x: number): void {
  const abs = x < 0 ? -x : x;
  if (abs >= 1e-4 && abs < 1e16 && !Number.isInteger(x) && shortDecimal(w, x)) return;
  w.ascii(floatText(x));
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  // In chunks: a spread of a large array would exceed the call stack.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** One wire value, as wireValueJson(wireValue(value, false), float) writes it. */
export function writeWireValue(w: JsonByteWriter, value: unknown, float: boolean): void {
  switch (typeof value) {
    case 'number':
      if (float) writeFloat(w, value);
      else if (Number.isFinite(value)) w.ascii(String(value));
      else w.ascii('null');
      return;
    case 'string':
      w.string(value);
      return;
    case 'boolean':
      w.ascii(value ? 'true' : 'false');
      return;
    case 'bigint':
      if (float) writeFloat(w, Number(value));
      else w.ascii(String(value));
      return;
    case 'undefined':
      w.ascii('null');
      return;
  }
  if (value === null) {
    w.ascii('null');
  } else if (value instanceof Uint8Array) {
    w.string(base64(value));
  } else if (value instanceof Date) {
    // A UnixTimestamp value is whole epoch seconds on Feast's wire (its unix_timestamp_val).
    writeWireValue(w, Math.floor(value.getTime() / 1000), float);
  } else if (Array.isArray(value)) {
    w.byte(0x5b);
    for (let i = 0; i < value.length; i++) {
      if (i > 0) w.byte(0x2c);
      writeWireValue(w, value[i], float);
    }
    w.byte(0x5d);
  } else {
    // Anything else (a map or struct value): JSON.stringify's text, bigints as numbers.
    w.text(JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'null');
  }
}
