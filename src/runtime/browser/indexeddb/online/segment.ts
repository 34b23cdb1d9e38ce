/**
 * Rows of one bucket, columnar. Row r is `keys[r]` (the encoded entity key, one char per
 * byte) with its times; column j holds the feature at position `columns[j]` of the view's
 * name list, numbers in `numbers[j * rows + r]` and every other value (null, string,
 * bigint, bytes, list) as a `row, column, value` triple in `others`, which then overrides
 * the number slot. A position the segment has no column for is null in each of its rows
 * (a row replaces the stored row whole). Typed arrays are copied by structured clone as
 * one block each, so a record of a hundred 50-float rows costs little more than one row.
 */
export interface Segment {
  keys: string[];
  events: BigInt64Array;
  /** Null when no row has a created time; otherwise `createdSet[r]` says whether `created[r]` holds one. */
  created: BigInt64Array | null;
  createdSet: Uint8Array | null;
  columns: Int32Array;
  numbers: Float64Array;
  others: unknown[] | null;
}

/** The batch rows `rows` (one per key) as one segment per bucket, filled column by column. */
export function segmentsOf(
  rows: readonly number[],
  bucketOf: Int32Array,
  ids: readonly string[],
  events: readonly bigint[],
  created: readonly (bigint | null)[] | undefined,
  columns: readonly (readonly unknown[])[],
  position: readonly number[],
): Map<number, Segment> {
  const counts = new Map<number, number>();
  for (const i of rows) counts.set(bucketOf[i], (counts.get(bucketOf[i]) ?? 0) + 1);
  const segments = new Map<number, Segment>();
  for (const [b, n] of counts) {
    segments.set(b, {
      keys: new Array<string>(n),
      events: new BigInt64Array(n),
      created: null,
      createdSet: null,
      columns: Int32Array.from(position),
      numbers: new Float64Array(columns.length * n),
      others: null,
    });
  }
  // Where each row goes: its segment and its row there.
  const target = new Array<Segment>(rows.length);
  const at = new Int32Array(rows.length);
  const size = new Int32Array(rows.length);
  const filled = new Map<number, number>();
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const b = bucketOf[i];
    const segment = segments.get(b)!;
    const r = filled.get(b) ?? 0;
    filled.set(b, r + 1);
    target[k] = segment;
    at[k] = r;
    size[k] = segment.keys.length;
    segment.keys[r] = ids[i];
    segment.events[r] = events[i];
    const c = created?.[i] ?? null;
    if (c !== null) {
      const n = segment.keys.length;
      (segment.created ??= new BigInt64Array(n))[r] = c;
      (segment.createdSet ??= new Uint8Array(n))[r] = 1;
    }
  }
  for (let j = 0; j < columns.length; j++) {
    const column = columns[j];
    for (let k = 0; k < rows.length; k++) {
      const value = column[rows[k]];
      const segment = target[k];
      if (typeof value === 'number') segment.numbers[j * size[k] + at[k]] = value;
      else (segment.others ??= []).push(at[k], j, value ?? null);
    }
  }
  return segments;
}
