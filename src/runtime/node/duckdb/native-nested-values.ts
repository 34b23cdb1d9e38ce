import { DuckDBTypeId, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';

/*
 * Nested DuckDB values (STRUCT, MAP, and the scalars inside them and inside lists) as the
 * plain JS values Arrow's builders take: a struct as an object of its members, a
 * timestamp as epoch milliseconds, a blob as bytes, a decimal as a double, BIGINT kept a
 * bigint. Feast writes a Map feature's dicts to Parquet as structs, so these reach
 * historical retrieval and materialization from Feast's own files.
 */

function timestampMicros(value: DuckDBValue): bigint {
  const v = value as { micros?: bigint; millis?: bigint; seconds?: bigint; nanos?: bigint };
  if (v.micros !== undefined) return v.micros;
  if (v.millis !== undefined) return v.millis * 1000n;
  if (v.seconds !== undefined) return v.seconds * 1_000_000n;
  if (v.nanos !== undefined) return v.nanos / 1000n;
  throw new Error('unexpected timestamp value');
}

export function isTimestampType(typeId: DuckDBTypeId): boolean {
  return (
    typeId === DuckDBTypeId.TIMESTAMP ||
    typeId === DuckDBTypeId.TIMESTAMP_TZ ||
    typeId === DuckDBTypeId.TIMESTAMP_S ||
    typeId === DuckDBTypeId.TIMESTAMP_MS ||
    typeId === DuckDBTypeId.TIMESTAMP_NS
  );
}

/** One value (of any nesting) as the plain JS value an Arrow builder of its type takes. */
export function plainNested(value: DuckDBValue, type: DuckDBType): unknown {
  if (value === null) return null;
  if (isTimestampType(type.typeId)) return Number(timestampMicros(value) / 1000n);
  switch (type.typeId) {
    case DuckDBTypeId.DECIMAL:
      return (value as { toDouble(): number }).toDouble();
    case DuckDBTypeId.BLOB:
      return (value as { bytes: Uint8Array }).bytes;
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const child = (type as unknown as { valueType: DuckDBType }).valueType;
      return (value as { items: readonly DuckDBValue[] }).items.map((x) => plainNested(x, child));
    }
    case DuckDBTypeId.STRUCT: {
      const { entryNames, entryTypes } = type as unknown as { entryNames: readonly string[]; entryTypes: readonly DuckDBType[] };
      const entries = (value as { entries: Readonly<Record<string, DuckDBValue>> }).entries;
      return Object.fromEntries(entryNames.map((name, i) => [name, plainNested(entries[name] ?? null, entryTypes[i])]));
    }
    case DuckDBTypeId.MAP:
      return mapAsJson(value, type);
    default:
      return value;
  }
}

/** JSON can hold no bigint: a safe one becomes a number, a larger one its decimal text. */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonSafe(v)]));
  return value;
}

/** A DuckDB MAP as JSON text: feast-edge's Map (string keys to values of any type) is JSON text in Arrow and SQL. */
export function mapAsJson(value: DuckDBValue, type: DuckDBType): string | null {
  if (value === null) return null;
  const { keyType, valueType } = type as unknown as { keyType: DuckDBType; valueType: DuckDBType };
  const entries = (value as { entries: readonly { key: DuckDBValue; value: DuckDBValue }[] }).entries;
  return JSON.stringify(Object.fromEntries(entries.map((e) => [String(jsonSafe(plainNested(e.key, keyType))), jsonSafe(plainNested(e.value, valueType))])));
}

/** Any plain value as JSON text (a Map feature read from a struct column). */
export function jsonText(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(jsonSafe(value));
}
