import { Table, makeData, makeVector, vectorFromArray, Float64, Int64, Utf8, TimestampMicrosecond, type Vector } from 'apache-arrow';

/** Deterministic PRNG (mulberry32) so fixtures are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const H = 3_600_000_000n;
export const BASE = 1_618_221_600_000_000n; // 2021-04-12T10:00:00Z in microseconds

/** A timestamp column from bigint microseconds (null allowed), exact to the microsecond. */
export function timestamps(values: readonly (bigint | null)[]): Vector {
  const data = new BigInt64Array(values.length);
  const valid = new Uint8Array(Math.ceil(values.length / 8));
  values.forEach((v, i) => { if (v !== null) { data[i] = v; valid[i >> 3] |= 1 << (i & 7); } });
  return makeVector(makeData({
    type: new TimestampMicrosecond(), length: values.length, nullCount: values.filter((v) => v === null).length,
    data: new Int32Array(data.buffer), nullBitmap: valid,
  }));
}

export type ColumnSpec = { kind: 'int64'; values: readonly (bigint | null)[] } | { kind: 'float'; values: readonly (number | null)[] }
  | { kind: 'string'; values: readonly (string | null)[] } | { kind: 'ts'; values: readonly (bigint | null)[] };

/** An Arrow table from typed column specs. */
export function table(columns: Record<string, ColumnSpec>): Table {
  const vectors: Record<string, Vector> = {};
  for (const [name, c] of Object.entries(columns)) {
    vectors[name] = c.kind === 'ts' ? timestamps(c.values)
      : c.kind === 'int64' ? vectorFromArray(c.values as (bigint | null)[], new Int64())
      : c.kind === 'float' ? vectorFromArray(c.values as (number | null)[], new Float64())
      : vectorFromArray(c.values as (string | null)[], new Utf8());
  }
  return new Table(vectors);
}

/** Plain rows of bigint/number/string values from column specs (what the oracle reads). */
export function rows(columns: Record<string, ColumnSpec>): Record<string, unknown>[] {
  const names = Object.keys(columns);
  const n = names.length ? columns[names[0]].values.length : 0;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((k) => [k, columns[k].values[i]])));
}

/** A cell of an Arrow result as a comparable plain value (timestamps as bigint microseconds). */
export function cell(t: Table, column: string, row: number): unknown {
  const vector = t.getChild(column);
  if (!vector) throw new Error(`result has no column '${column}'; it has ${t.schema.fields.map((f) => f.name).join(', ')}`);
  if (String(vector.type).startsWith('Timestamp')) {
    let offset = row;
    for (const chunk of vector.data) {
      if (offset < chunk.length) return chunk.getValid(offset) ? BigInt((chunk.values as unknown as BigInt64Array)[offset]) : null;
      offset -= chunk.length;
    }
  }
  const value = vector.get(row);
  if (typeof value === 'bigint') return value;
  return value ?? null;
}
