import { InvalidEntityKeyError, InvalidOnlineWriteError } from '../errors.js';
import type { FeatureView, ValueType } from '../definitions/index.js';
import { shownValue } from '../definitions/shown-value.js';
import { toEpochMicros } from '../definitions/timestamp.js';
import { isWellFormedText, viewKeyEncoder } from './entity-key.js';
import { entityColumns, type OnlineEntityRows } from './entity-rows.js';
import type { OnlineWriteBatch } from './online-store.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The longest entity key (Feast's serialized bytes) any write may carry, on every store:
 * LMDB holds 1,978-byte keys including its `project/view/` prefix, so this leaves room for
 * the prefix (Google Datastore's key names stop at 1,500 bytes too). Workers KV, whose keys
 * stop at 512 bytes, refuses shorter ones itself, also before writing anything.
 */
export const MAX_ENTITY_KEY_BYTES = 1500;

function isIntegerIn(value: unknown, min: number | bigint, max: number | bigint): value is number | bigint {
  if (typeof value === 'bigint') return value >= BigInt(min) && value <= BigInt(max);
  // Integral doubles above 2^53 are taken as they are, within the type's range.
  return typeof value === 'number' && Number.isInteger(value) && value >= Number(min) && value <= Number(max);
}

/** The object a JSON text holds, or undefined for text that is not a JSON object. */
function jsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A value checked against its declared type (and timestamps made Dates); the error names `where`. */
export function checkValue(value: unknown, type: ValueType, where: string): unknown {
  if (value === null || value === undefined) return null;
  const fail = (expected: string) => new InvalidOnlineWriteError(`${where}: expected ${expected}, got ${shownValue(value)}`);
  switch (type.kind) {
    case 'Int32':
      if (isIntegerIn(value, INT32_MIN, INT32_MAX)) return typeof value === 'bigint' ? Number(value) : value;
      throw fail(`an integer in [${INT32_MIN}, ${INT32_MAX}] (Int32)`);
    case 'Int64':
      if (isIntegerIn(value, INT64_MIN, INT64_MAX)) return value;
      throw fail(`an integer in [${INT64_MIN}, ${INT64_MAX}] (Int64)`);
    case 'Float32':
      // A finite number a float32 cannot hold would be stored as infinity; NaN and the infinities themselves pass.
      if (typeof value === 'number' && !(Number.isFinite(value) && Math.abs(value) > FLOAT32_MAX)) return value;
      throw fail(`a number within Float32 (|x| <= ${FLOAT32_MAX})`);
    case 'Float64':
      if (typeof value === 'number') return value;
      throw fail('a number');
    case 'String':
      if (typeof value === 'string' && isWellFormedText(value)) return value;
      throw fail(typeof value === 'string' ? 'well-formed text (this one holds a lone UTF-16 surrogate, which UTF-8 cannot encode)' : 'a string');
    case 'Bool':
      if (typeof value === 'boolean') return value;
      throw fail('true or false');
    case 'Bytes':
      if (value instanceof Uint8Array) return value;
      throw fail('bytes');
    case 'UnixTimestamp':
      return new Date(Number(toEpochMicros(value, where) / 1000n));
    case 'Map':
      // Feast's remote online store client sends Map and Struct values as JSON text.
      if (typeof value === 'string') {
        const parsed = jsonObject(value);
        if (!parsed) throw fail('an object (Map), or its JSON text');
        return checkValue(parsed, type, where);
      }
      if (typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array) && !(value instanceof Date)) return value;
      throw fail('an object (Map)');
    case 'Json':
      // JSON text, as Feast's json_val holds it.
      if (typeof value === 'string' && isWellFormedText(value)) return value;
      throw fail('JSON text (a well-formed string)');
    case 'Struct': {
      // Feast's remote online store client sends Map and Struct values as JSON text.
      if (typeof value === 'string') {
        const parsed = jsonObject(value);
        if (!parsed) throw fail('an object (Struct), or its JSON text');
        return checkValue(parsed, type, where);
      }
      if (typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array || value instanceof Date) throw fail('an object (Struct)');
      const record = value as Record<string, unknown>;
      const names = new Set(type.fields.map((m) => m.name));
      const extra = Object.keys(record).filter((k) => !names.has(k));
      if (extra.length > 0) throw fail(`an object with members ${[...names].join(', ')} (unknown: ${extra.join(', ')})`);
      return Object.fromEntries(type.fields.map((m) => [m.name, checkValue(record[m.name], m.dtype, `${where}.${m.name}`)]));
    }
    case 'Array':
      if (!Array.isArray(value)) throw fail('an array');
      return value.map((v, i) => checkValue(v, type.of, `${where}[${i}]`));
  }
}

/**
 * The one check every write of rows goes through, for the whole batch before any store
 * is written: rows for one view as an online write batch. Every join key, feature and the
 * source's timestamp column are required, columns the view does not know are refused,
 * each value must fit its feature's declared type (integer ranges, Float32's range,
 * well-formed strings), timestamps lie in years 1-9999, each entity key is well-formed
 * text (no lone surrogate) of at most MAX_ENTITY_KEY_BYTES. The error (a 4xx
 * FeastEdgeError) names the column and the row; nothing is written unless every row passes.
 *
 * The write entry points, all through here:
 * - FeatureStore.writeToOnlineStore (src/store/feature-store.ts): before the online write.
 * - FeatureStore.push, to 'online', 'offline' or 'online_and_offline' (src/store/push.ts):
 *   every view reading the source, before the offline append and any online write.
 * - FeatureStore.writeToOfflineStore and the offline half of push and ingest
 *   (src/offline/duckdb/offline-part.ts): before a Parquet byte is made.
 * - FeatureStore.ingest and push to a stream view (checkStreamEvents, src/stream/stream-events.ts):
 *   each batch (an array of events: all of them) before its offline append and tiles.
 * - HTTP /push and /write-to-online-store (src/server/feature-server.ts, `feast-edge serve`,
 *   the edge and Deno apps of src/server/edge-app.ts, the service worker): call the above.
 * - The worker host API (src/runtime/worker/host/online-api.ts): calls the above.
 * The CLI writes only through `serve` and materialization (rows read from the view's source).
 */
export function toOnlineBatch(view: FeatureView, rows: OnlineEntityRows, options: { allowExtraColumns?: boolean } = {}): OnlineWriteBatch {
  const { columns, count } = entityColumns(rows);
  const timestamp = view.batchSource.timestampField;
  const created = view.batchSource.createdTimestampColumn;
  const known = new Set([timestamp, ...(created ? [created] : []), ...view.entityColumns.map((c) => c.name), ...view.features.map((f) => f.name)]);
  const unknown = Object.keys(columns).filter((c) => !known.has(c));
  if (unknown.length > 0 && !options.allowExtraColumns) {
    throw new InvalidOnlineWriteError(
      `write to '${view.name}': unknown columns ${unknown.map((c) => `'${c}'`).join(', ')}; the view has ${[...known].join(', ')}`,
    );
  }
  // Every feature is required: a row replaces the stored row whole, so a missing column would erase it.
  const missing = [timestamp, ...view.entityColumns.map((c) => c.name), ...view.features.map((f) => f.name)].filter((c) => !(c in columns));
  if (missing.length > 0) throw new InvalidOnlineWriteError(`write to '${view.name}': missing columns ${missing.map((c) => `'${c}'`).join(', ')}`);
  const keys = encodeKeys(view, columns, count);
  const eventTimestamps = columns[timestamp].map((v, i) => {
    if (v === null || v === undefined) throw new InvalidOnlineWriteError(`write to '${view.name}': ${timestamp}[${i}] is empty`);
    return toEpochMicros(v, `write to '${view.name}': ${timestamp}[${i}]`);
  });
  const createdTimestamps =
    created && columns[created]
      ? columns[created].map((v, i) => (v === null || v === undefined ? null : toEpochMicros(v, `write to '${view.name}': ${created}[${i}]`)))
      : undefined;
  const features: Record<string, unknown[]> = {};
  for (const f of view.features) {
    features[f.name] = columns[f.name].map((v, i) => checkValue(v, f.dtype, `write to '${view.name}': ${f.name}[${i}]`));
  }
  return { view: view.name, keys, eventTimestamps, ...(createdTimestamps ? { createdTimestamps } : {}), features, featureTypes: featureTypesOf(view) };
}

/** Each row's entity key, checked: of its type, well-formed, at most MAX_ENTITY_KEY_BYTES; the error names the row. */
function encodeKeys(view: FeatureView, columns: Record<string, unknown[]>, count: number): Uint8Array[] {
  const encode = viewKeyEncoder(view);
  const keyColumns = view.entityColumns.map((c) => columns[c.name]);
  return Array.from({ length: count }, (_, i) => {
    let key: Uint8Array;
    try {
      key = encode(keyColumns.map((column) => column[i]));
    } catch (error) {
      // The same error class, told which row: the encoder knows only the join key.
      if (error instanceof InvalidEntityKeyError) error.message = `write to '${view.name}': row ${i}: ${error.message}`;
      throw error;
    }
    if (key.length > MAX_ENTITY_KEY_BYTES) {
      throw new InvalidOnlineWriteError(
        `write to '${view.name}': row ${i}: its entity key is ${key.length} bytes, over the ${MAX_ENTITY_KEY_BYTES} an entity key may hold (nothing was written)`,
      );
    }
    return key;
  });
}

/** The view's feature types, for stores that write typed bytes; built once per view. */
export function featureTypesOf(view: FeatureView): Readonly<Record<string, ValueType>> {
  let types = featureTypes.get(view);
  if (!types) featureTypes.set(view, (types = Object.freeze(Object.fromEntries(view.features.map((f) => [f.name, f.dtype])))));
  return types;
}

const featureTypes = new WeakMap<FeatureView, Readonly<Record<string, ValueType>>>();
