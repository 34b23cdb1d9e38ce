import { Float32, Float64, Int32, Int64, makeData, makeVector, TimestampMicrosecond, type DataType, type Vector } from 'apache-arrow';
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';

type TypedArray = BigInt64Array | Float64Array | Float32Array | Int32Array;

/** Fixed-width DuckDB types whose node-api vectors hold a typed array we can copy as-is. */
const FIXED: Partial<Record<DuckDBTypeId, { arrow: () => DataType; array: new (n: number) => TypedArray }>> = {
  [DuckDBTypeId.BIGINT]: { arrow: () => new Int64(), array: BigInt64Array },
  [DuckDBTypeId.INTEGER]: { arrow: () => new Int32(), array: Int32Array },
  [DuckDBTypeId.DOUBLE]: { arrow: () => new Float64(), array: Float64Array },
  [DuckDBTypeId.FLOAT]: { arrow: () => new Float32(), array: Float32Array },
  [DuckDBTypeId.TIMESTAMP]: { arrow: () => new TimestampMicrosecond(), array: BigInt64Array },
  [DuckDBTypeId.TIMESTAMP_TZ]: { arrow: () => new TimestampMicrosecond(), array: BigInt64Array },
};

export function isFixedWidth(type: DuckDBType): boolean {
  return FIXED[type.typeId] !== undefined;
}

/**
 * Copies one fixed-width column out of every chunk into one Arrow vector: the values
 * buffer and the validity bits are copied in bulk instead of materializing a JS value
 * per cell (node-api's generic path costs about 1 µs a value). Relies on node-api
 * vectors keeping `items` (a typed array) and `validity.data` (64-bit words, LSB first,
 * the same bit order as Arrow); `canCopy` checks that before use.
 */
export function copyFixedColumn(chunks: readonly DuckDBDataChunk[], column: number, type: DuckDBType, rows: number): Vector {
  const spec = FIXED[type.typeId]!;
  const values = new spec.array(rows);
  const validity = new Uint8Array(Math.ceil(rows / 8)).fill(0xff);
  let nulls = 0;
  let offset = 0;
  for (const chunk of chunks) {
    const vector = chunk.getColumnVector(column) as unknown as { items: TypedArray; validity: { data: BigUint64Array | null } };
    const count = chunk.rowCount;
    values.set(vector.items.subarray(0, count) as never, offset);
    const words = vector.validity.data;
    if (words) {
      const bytes = new Uint8Array(words.buffer, words.byteOffset, Math.ceil(count / 8));
      for (let i = 0; i < count; i++) {
        if ((bytes[i >> 3] & (1 << (i & 7))) === 0) {
          const row = offset + i;
          validity[row >> 3] &= ~(1 << (row & 7));
          nulls++;
        }
      }
    }
    offset += count;
  }
  return makeVector(
    makeData({
      type: spec.arrow(),
      length: rows,
      nullCount: nulls,
      data: values as never,
      ...(nulls > 0 ? { nullBitmap: validity } : {}),
    } as never),
  );
}

/** True when this node-api build exposes the internals copyFixedColumn reads. */
export function canCopy(chunk: DuckDBDataChunk, column: number): boolean {
  const vector = chunk.getColumnVector(column) as unknown as { items?: unknown; validity?: { data?: unknown } };
  return ArrayBuffer.isView(vector.items) && vector.validity !== undefined && 'data' in vector.validity;
}
