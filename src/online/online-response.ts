/** Feast's FieldStatus names. */
export type FieldStatus = 'PRESENT' | 'NULL_VALUE' | 'NOT_FOUND' | 'OUTSIDE_MAX_AGE';

/** One output column: values, a status per value, and the event time (microseconds, 0 = none). */
export interface OnlineColumn {
  readonly name: string;
  readonly values: unknown[];
  readonly statuses: FieldStatus[];
  readonly eventTimestamps: bigint[];
}

/** Feast's column-major JSON response of POST /get-online-features. */
export interface OnlineWireResponse {
  metadata: { feature_names: string[] };
  results: { values: unknown[]; statuses: FieldStatus[]; event_timestamps: string[] }[];
}

function rfc3339(micros: bigint): string {
  return new Date(Number(micros / 1000n)).toISOString().replace('.000Z', 'Z');
}

function wireValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Uint8Array) return btoa(String.fromCharCode(...value));
  if (value instanceof Date) return rfc3339(BigInt(value.getTime()) * 1000n);
  if (Array.isArray(value)) return value.map(wireValue);
  return value;
}

/**
 * The result of getOnlineFeatures: join keys (and request data) first, then features in
 * request order. `Row` is one entity row's columns by name: typed by a store that knows
 * its definitions, else `Record<string, unknown>`.
 */
export class OnlineResponse<Row extends Record<string, unknown> = Record<string, unknown>> {
  readonly columns: readonly OnlineColumn[];

  constructor(columns: readonly OnlineColumn[]) {
    this.columns = columns;
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

  /** Feast's wire shape: int64 as JSON numbers, bytes as base64, timestamps RFC 3339 with Z. */
  toWire(): OnlineWireResponse {
    // Columns of one view share their timestamp array, and its values repeat (epoch 0 for
    // join keys, one event time per entity): convert each array and each instant once.
    const texts = new Map<bigint, string>();
    const converted = new Map<readonly bigint[], string[]>();
    const timestamps = (micros: readonly bigint[]) => {
      let out = converted.get(micros);
      if (!out) {
        out = micros.map((m) => {
          let text = texts.get(m);
          if (text === undefined) texts.set(m, (text = rfc3339(m)));
          return text;
        });
        converted.set(micros, out);
      }
      return out;
    };
    return {
      metadata: { feature_names: this.columns.map((c) => c.name) },
      results: this.columns.map((c) => ({
        values: c.values.map(wireValue),
        statuses: [...c.statuses],
        event_timestamps: timestamps(c.eventTimestamps),
      })),
    };
  }
}
