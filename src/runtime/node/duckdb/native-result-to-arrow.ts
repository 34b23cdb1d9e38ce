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
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { canCopy, copyFixedColumn, isFixedWidth } from './native-fast-columns.js';
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
    case DuckDBTypeId.ARRAY: {
      const child = (type as unknown as { valueType: DuckDBType }).valueType;
      const childType = arrowTypeOf(child, column);
      return vectorFromArray(
        values.map((v) => (v === null ? null : (v as { items: readonly DuckDBValue[] }).items.map((x) => plainScalar(x, child.typeId, child)))),
        new List(new ArrowField('item', childType, true)),
      );
    }
    case DuckDBTypeId.STRUCT:
      // Feast's Parquet files hold Map and Struct features as structs (pandas dicts).
      return vectorFromArray(
        values.map((v) => plainScalar(v, type.typeId, type)),
        arrowTypeOf(type, column),
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

function plainScalar(value: DuckDBValue, typeId: DuckDBTypeId, type?: DuckDBType): unknown {
  if (value === null) return null;
  switch (typeId) {
    case DuckDBTypeId.STRUCT: {
      const members = type as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
      const entries = (value as { entries: Readonly<Record<string, DuckDBValue>> }).entries;
      return Object.fromEntries(
        members.entryNames.map((name, i) => [name, plainScalar(entries[name] ?? null, members.entryTypes[i].typeId, members.entryTypes[i])]),
      );
    }
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      // Epoch milliseconds in the list's Int64 child (arrowTypeOf), which takes bigints only.
      return timestampMicros(value, typeId) / 1000n;
    case DuckDBTypeId.DECIMAL:
      return (value as { toDouble(): number }).toDouble();
    case DuckDBTypeId.BLOB:
      return (value as { bytes: Uint8Array }).bytes;
    default:
      return value;
  }
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
    case DuckDBTypeId.STRUCT: {
      const members = type as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
      return new Struct(members.entryNames.map((name, i) => new ArrowField(name, arrowTypeOf(members.entryTypes[i], `${column}.${name}`), true)));
    }
    default:
      throw new Error(`column '${column}': DuckDB type ${type.toString()} has no Arrow mapping in feast-edge; cast it in SQL`);
  }
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
