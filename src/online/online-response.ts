import type { ValueType } from '../definitions/value-type.js';
import { wireTimestamp } from './wire-json.js';
import { writeWireResponse } from './wire-response.js';

const DECODER = new TextDecoder();

/** Feast's FieldStatus names. */
export type FieldStatus = 'PRESENT' | 'NULL_VALUE' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE';

/** One output column: values, a status per value, and the event time (microseconds, 0 = none). */
export interface OnlineColumn {
  readonly name: string;
  readonly values: unknown[];
  readonly statuses: FieldStatus[];
  readonly eventTimestamps: bigint[];
  /** The column's value type, where known: the wire prints Float32/Float64 columns as Python floats. */
  readonly dtype?: ValueType;
}

/** Feast's column-major JSON response of POST /get-online-features, keys in Feast's order. */
export interface OnlineWireResponse {
  results: { values: unknown[]; statuses: FieldStatus[]; event_timestamps: string[] }[];
  metadata: { feature_names: string[] };
}

/** A value as the wire carries it; bigints become numbers unless `roundInt64` is false (toWireJson writes them whole). */
function wireValue(value: unknown, roundInt64 = true): unknown {
  if (typeof value === 'bigint') return roundInt64 ? Number(value) : value;
  if (value instanceof Uint8Array) return btoa(String.fromCharCode(...value));
  // A UnixTimestamp value is whole epoch seconds on Feast's wire (its unix_timestamp_val).
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (Array.isArray(value)) return value.map((item) => wireValue(item, roundInt64));
  return value;
}

/** Each instant once: the columns of one view share a timestamp array, and its values repeat. */
function timestampTexts(): (micros: readonly bigint[]) => string[] {
  const texts = new Map<bigint, string>();
  const converted = new Map<readonly bigint[], string[]>();
  return (micros) => {
    let out = converted.get(micros);
    if (!out) {
      out = micros.map((m) => {
        let text = texts.get(m);
        if (text === undefined) texts.set(m, (text = wireTimestamp(m)));
        return text;
      });
      converted.set(micros, out);
    }
    return out;
  };
}

/**
 * The result of getOnlineFeatures: join keys (and request data) first, then features in
 * request order. `Row` is one entity row's columns by name: typed by a store that knows
 * its definitions, else `Record<string, unknown>`. The wire (toWire, toWireJson) is
 * Feast's: it echoes the entity rows' join keys, converted to their types, and leaves
 * request data out.
 */
export class OnlineResponse<Row extends Record<string, unknown> = Record<string, unknown>> {
  readonly columns: readonly OnlineColumn[];
  /** What Feast's server answers with: echoed join keys, then the features. */
  readonly wireColumns: readonly OnlineColumn[];

  constructor(columns: readonly OnlineColumn[], wireColumns: readonly OnlineColumn[] = columns) {
    this.columns = columns;
    this.wireColumns = wireColumns;
  }

  /** `{ name: values }`, like Feast's `to_dict()`. */
  toDict(): { [K in keyof Row]: Row[K][] } {
    return Object.fromEntries(this.columns.map((c) => [c.name, c.values])) as { [K in keyof Row]: Row[K][] };
  }

  /** One object per entity row. */
  toRows(): Row[] {
    const count = this.columns[0]?.values.length ?? 0;
    return Array.from({ length: count }, (_, i) => Object.fromEntries(this.columns.map((c) => [c.name, c.values[i]])) as Row);
  }

  /** Feast's wire shape as an object: int64 as JSON numbers, bytes as base64, UnixTimestamp values as epoch seconds, event times RFC 3339 with Z. */
  toWire(): OnlineWireResponse {
    const timestamps = timestampTexts();
    return {
      results: this.wireColumns.map((c) => ({
        values: c.values.map((value) => wireValue(value)),
        statuses: [...c.statuses],
        event_timestamps: timestamps(c.eventTimestamps),
      })),
      metadata: { feature_names: this.wireColumns.map((c) => c.name) },
    };
  }

  /**
   * The body Feast's server sends, as UTF-8 bytes: toWire() with int64 beyond 2^53 exact
   * and floats printed as Python prints them (`1.0`), which JSON.stringify cannot do.
   * Written column by column into one buffer; the statuses and event times a view's
   * columns share are written once and copied.
   */
  toWireBytes(): Uint8Array<ArrayBuffer> {
    return writeWireResponse(this.wireColumns);
  }

  /** toWireBytes() as text. */
  toWireJson(): string {
    return DECODER.decode(this.toWireBytes());
  }
}
