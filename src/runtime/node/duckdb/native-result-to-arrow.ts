import {
  Binary,
  Bool,
  DateDay,
  Field as ArrowField,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Struct,
  Table,
  Utf8,
  Null,
  TimestampMicrosecond,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { canCopy, copyFixedColumn, isFixedWidth } from './native-fast-columns.js';
import { isTimestampType, mapAsJson, plainNested } from './native-nested-values.js';
import { timestampVector, utf8Vector } from '../../../arrow/arrow-from-rows.js';

/** Column values as node-api returns them, turned into one Arrow column. */
function toVector(values: readonly DuckDBValue[], type: DuckDBType, column: string): Vector {
  switch (type.typeId) {
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS: {
      const micros = new BigInt64Array(values.length);
      const valid = new Uint8Array(Math.ceil(values.length / 8));
      let nulls = false;
      values.forEach((v, i) => {
        if (v === null) {
          nulls = true;
          return;
        }
        micros[i] = timestampMicros(v, type.typeId);
        valid[i >> 3] |= 1 << (i & 7);
      });
      return timestampVector(micros, nulls ? valid : undefined);
    }
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return vectorFromArray(values as (bigint | null)[], new Int64());
    case DuckDBTypeId.DECIMAL:
      return vectorFromArray(
        values.map((v) => (v === null ? null : (v as { toDouble(): number }).toDouble())),
        new Float64(),
      );
    case DuckDBTypeId.BLOB:
      return vectorFromArray(
        values.map((v) => (v === null ? null : (v as { bytes: Uint8Array }).bytes)),
        new Binary(),
      );
    case DuckDBTypeId.DATE:
      return vectorFromArray(
        values.map((v) => (v === null ? null : new Date((v as { days: number }).days * 86_400_000))),
        new DateDay(),
      );
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
      return vectorFromArray(
        values.map((v) => plainNested(v, type)),
        arrowTypeOf(type, column),
      );
    case DuckDBTypeId.MAP:
      return vectorFromArray(
        values.map((v) => mapAsJson(v, type)),
        new Utf8(),
      );
    default:
      return vectorFromArray(values.map((v) => (v === null ? null : v)) as unknown[], arrowTypeOf(type, column));
  }
}

function timestampMicros(value: DuckDBValue, typeId: DuckDBTypeId): bigint {
  const v = value as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
  if (v.micros !== undefined) return v.micros;
  if (v.millis !== undefined) return v.millis * 1000n;
  if (v.seconds !== undefined) return v.seconds * 1_000_000n;
  if (v.nanos !== undefined) return v.nanos / 1000n;
  throw new Error(`unexpected timestamp value of type ${DuckDBTypeId[typeId]}`);
}

/** The Arrow type for a DuckDB type; unsupported types are an error naming the column. */
export function arrowTypeOf(type: DuckDBType, column: string): DataType {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.TINYINT:
      return new Int8();
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.UTINYINT:
      return new Int16();
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.USMALLINT:
      return new Int32();
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return new Int64();
    case DuckDBTypeId.FLOAT:
      return new Float32();
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      return new Float64();
    case DuckDBTypeId.VARCHAR:
    case DuckDBTypeId.UUID:
    case DuckDBTypeId.ENUM:
      return new Utf8();
    case DuckDBTypeId.BLOB:
      return new Binary();
    case DuckDBTypeId.SQLNULL:
      return new Null();
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new Int64();
    case DuckDBTypeId.MAP:
      return new Utf8();
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
      return nestedArrowType(type, column);
    default:
      throw new Error(`column '${column}': DuckDB type ${type.toString()} has no Arrow mapping in feast-edge; cast it in SQL`);
  }
}

/** A list's or struct's Arrow type; timestamps inside them stay timestamps (plainNested gives them as epoch ms). */
function nestedArrowType(type: DuckDBType, column: string): DataType {
  const member = (t: DuckDBType) => (isTimestampType(t.typeId) ? new TimestampMicrosecond() : arrowTypeOf(t, column));
  if (type.typeId === DuckDBTypeId.STRUCT) {
    const { entryNames, entryTypes } = type as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
    return new Struct(entryNames.map((name, i) => new ArrowField(name, member(entryTypes[i]), true)));
  }
  return new List(new ArrowField('item', member((type as unknown as { valueType: DuckDBType }).valueType), true));
}

/** A node-api result's columns (names, types, values) as an Arrow table. */
export function nativeColumnsToArrow(names: readonly string[], types: readonly DuckDBType[], columns: readonly (readonly DuckDBValue[])[]): Table {
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    let vector = toVector(columns[i], types[i], name);
    // Keep unsigned/small ints as the plain JS values the types above expect.
    if (types[i].typeId === DuckDBTypeId.UINTEGER)
      vector = vectorFromArray(
        columns[i].map((v) => (v === null ? null : BigInt(v as number))),
        new Int64(),
      );
    vectors[name] = vector;
  });
  return new Table(vectors);
}

/** A materialized result's chunks as an Arrow table; fixed-width columns are copied in bulk. */
export function nativeChunksToArrow(names: readonly string[], types: readonly DuckDBType[], chunks: readonly DuckDBDataChunk[]): Table {
  const rows = chunks.reduce((n, c) => n + c.rowCount, 0);
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    if (isFixedWidth(types[i]) && (chunks.length === 0 || canCopy(chunks[0], i))) {
      vectors[name] = copyFixedColumn(chunks, i, types[i], rows);
    } else if (types[i].typeId === DuckDBTypeId.VARCHAR) {
      const values = new Array<string | null>(rows);
      let row = 0;
      for (const chunk of chunks) {
        const vector = chunk.getColumnVector(i);
        for (let k = 0; k < chunk.rowCount; k++) values[row++] = vector.getItem(k) as string | null;
      }
      vectors[name] = utf8Vector(values);
    } else {
      const values = chunks.flatMap((c) => c.getColumnVector(i).toArray() as DuckDBValue[]);
      vectors[name] = nativeColumnsToArrow([name], [types[i]], [values]).getChild(name)!;
    }
  });
  return new Table(vectors);
}
