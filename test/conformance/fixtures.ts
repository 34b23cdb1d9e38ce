import {
  Bool,
  Float64,
  Int32,
  Int64,
  Table,
  TimeUnit,
  TimestampMicrosecond,
  TimestampMillisecond,
  TimestampNanosecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';

/** Deterministic PRNG (mulberry32) so fixtures are the same on every run. */
export { seededRandom as rng } from '../support/seeded-random.js';

export const US = 1n;
export const SEC = 1_000_000n;
export const MIN = 60n * SEC;
export const H = 60n * MIN;
export const D = 24n * H;

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/;

/**
 * An ISO 8601 instant as microseconds since the epoch, written for the tests (not the
 * product's parser): no zone means UTC; sub-microsecond digits must be zero.
 */
export function micros(iso: string): bigint {
  const m = ISO.exec(iso);
  if (!m) throw new Error(`test fixture: not an ISO timestamp: ${iso}`);
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  const seconds = BigInt(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000);
  const fraction = BigInt((frac + '000000000').slice(0, 9));
  if (fraction % 1000n !== 0n) throw new Error(`test fixture: sub-microsecond digits in ${iso}`);
  let offset = 0n;
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1n : 1n;
    offset = sign * (BigInt(zone.slice(1, 3)) * 3600n + BigInt(zone.slice(4, 6)) * 60n) * SEC;
  }
  return seconds * SEC + fraction / 1000n - offset;
}

/** Microseconds as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
export function isoUtc(value: bigint): string {
  const ms = value / 1000n - (value % 1000n < 0n ? 1n : 0n);
  const sub = ((value % SEC) + SEC) % SEC;
  return `${new Date(Number(ms)).toISOString().slice(0, 19)}.${String(sub).padStart(6, '0')}Z`;
}

/** 2021-04-12T10:00:00Z, the reference instant of the fixtures. */
export const BASE = micros('2021-04-12T10:00:00Z');

export type ColumnSpec =
  | { kind: 'int64'; values: readonly (bigint | null)[] }
  | { kind: 'int32'; values: readonly (number | null)[] }
  | { kind: 'float64'; values: readonly (number | null)[] }
  | { kind: 'string'; values: readonly (string | null)[] }
  | { kind: 'bool'; values: readonly (boolean | null)[] }
  /** Microsecond values; stored in `unit` (default us) with an optional Arrow time zone. */
  | { kind: 'ts'; values: readonly (bigint | null)[]; unit?: 'ms' | 'us' | 'ns'; tz?: string };

export type Columns = Record<string, ColumnSpec>;

/** A timestamp vector from microsecond values, exact, in the given unit and zone. */
export function timestamps(values: readonly (bigint | null)[], unit: 'ms' | 'us' | 'ns' = 'us', tz?: string): Vector {
  const type = unit === 'ms' ? new TimestampMillisecond(tz) : unit === 'ns' ? new TimestampNanosecond(tz) : new TimestampMicrosecond(tz);
  const data = new BigInt64Array(values.length);
  const valid = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => {
    if (v === null) return;
    if (unit === 'ms' && v % 1000n !== 0n) throw new Error('test fixture: millisecond column with sub-millisecond value');
    data[i] = unit === 'ms' ? v / 1000n : unit === 'ns' ? v * 1000n : v;
    valid[i >> 3] |= 1 << (i & 7);
  });
  return makeVector(
    makeData({
      type,
      length: values.length,
      nullCount: values.filter((v) => v === null).length,
      data: new Int32Array(data.buffer),
      nullBitmap: valid,
    } as Parameters<typeof makeData>[0]),
  );
}

function vector(spec: ColumnSpec): Vector {
  switch (spec.kind) {
    case 'ts':
      return timestamps(spec.values, spec.unit, spec.tz);
    case 'int64':
      return vectorFromArray(spec.values as (bigint | null)[], new Int64());
    case 'int32':
      return vectorFromArray(spec.values as (number | null)[], new Int32());
    case 'float64':
      return vectorFromArray(spec.values as (number | null)[], new Float64());
    case 'bool':
      return vectorFromArray(spec.values as (boolean | null)[], new Bool());
    case 'string':
      return vectorFromArray(spec.values as (string | null)[], new Utf8());
  }
}

/** An Arrow table from typed column specs. */
export function table(columns: Columns): Table {
  const vectors: Record<string, Vector> = {};
  for (const [name, spec] of Object.entries(columns)) vectors[name] = vector(spec);
  return new Table(vectors);
}

/** The same columns as plain rows (bigint keys, bigint microsecond timestamps): what the oracle reads. */
export function rows(columns: Columns): Record<string, unknown>[] {
  const names = Object.keys(columns);
  const n = names.length ? columns[names[0]].values.length : 0;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((k) => [k, columns[k].values[i] ?? null])));
}

const isTimestamp = (type: DataType) => String(type).startsWith('Timestamp');

/** One Arrow value as a plain comparable value: timestamps as bigint microseconds, int64 as bigint. */
function valueAt(vector: Vector, row: number): unknown {
  if (isTimestamp(vector.type)) {
    let offset = row;
    for (const chunk of vector.data) {
      if (offset < chunk.length) {
        if (!chunk.getValid(offset)) return null;
        const values = chunk.values as unknown as BigInt64Array | Int32Array;
        const raw = values instanceof BigInt64Array ? values[offset] : new BigInt64Array(values.buffer, values.byteOffset, values.length / 2)[offset];
        const unit = (vector.type as { unit: TimeUnit }).unit;
        return unit === TimeUnit.SECOND ? raw * SEC : unit === TimeUnit.MILLISECOND ? raw * 1000n : unit === TimeUnit.NANOSECOND ? raw / 1000n : raw;
      }
      offset -= chunk.length;
    }
    throw new Error(`row ${row} out of range`);
  }
  const value = vector.get(row);
  return value ?? null;
}

/** A result table as column names and plain rows. */
export function readTable(t: Table): { columns: string[]; types: Record<string, string>; rows: Record<string, unknown>[] } {
  const columns = t.schema.fields.map((f) => f.name);
  const types = Object.fromEntries(t.schema.fields.map((f) => [f.name, String(f.type)]));
  const vectors = columns.map((c) => t.getChild(c)!);
  const out = Array.from({ length: t.numRows }, (_, i) => Object.fromEntries(columns.map((c, j) => [c, valueAt(vectors[j], i)])));
  return { columns, types, rows: out };
}

/** A column of a result as plain values. */
export function column(t: Table, name: string): unknown[] {
  const vector = t.getChild(name);
  if (!vector) throw new Error(`result has no column '${name}'; it has ${t.schema.fields.map((f) => f.name).join(', ')}`);
  return Array.from({ length: t.numRows }, (_, i) => valueAt(vector, i));
}

/** One cell of a result as a plain value (timestamps as bigint microseconds, int64 as bigint). */
export function cell(t: Table, name: string, row: number): unknown {
  const vector = t.getChild(name);
  if (!vector) throw new Error(`result has no column '${name}'; it has ${t.schema.fields.map((f) => f.name).join(', ')}`);
  return valueAt(vector, row);
}

/** Equality for result cells: integers by value (bigint or number), floats to 1e-9 relative. */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (actual === null || actual === undefined || expected === null || expected === undefined) {
    return (actual ?? null) === (expected ?? null);
  }
  if ((typeof actual === 'bigint' || typeof actual === 'number') && (typeof expected === 'bigint' || typeof expected === 'number')) {
    if (typeof actual === 'bigint' && typeof expected === 'bigint') return actual === expected;
    const a = Number(actual);
    const e = Number(expected);
    return a === e || Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e));
  }
  return actual === expected;
}

export const show = (v: unknown): string => (typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v)));
