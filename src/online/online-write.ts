import { InvalidOnlineWriteError } from '../errors.js';
import type { FeatureView, ValueType } from '../definitions/index.js';
import { toEpochMicros } from '../definitions/timestamp.js';
import { isWellFormedText, viewKeyEncoder } from './entity-key.js';
import { entityColumns, type OnlineEntityRows } from './entity-rows.js';
import type { OnlineWriteBatch } from './online-store.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const FLOAT32_MAX = 3.4028234663852886e38;

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
  const fail = (expected: string) =>
    new InvalidOnlineWriteError(`${where}: expected ${expected}, got ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}`);
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
 * Rows for one view as an online write batch: every join key, feature and the source's
 * timestamp column are required, columns the view does not know are refused, and each value must
 * fit its feature's type. Nothing is written unless every row passes.
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
  const encode = viewKeyEncoder(view);
  const keyColumns = view.entityColumns.map((c) => columns[c.name]);
  const keys = Array.from({ length: count }, (_, i) => encode(keyColumns.map((column) => column[i])));
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

/** The view's feature types, for stores that write typed bytes; built once per view. */
export function featureTypesOf(view: FeatureView): Readonly<Record<string, ValueType>> {
  let types = featureTypes.get(view);
  if (!types) featureTypes.set(view, (types = Object.freeze(Object.fromEntries(view.features.map((f) => [f.name, f.dtype])))));
  return types;
}

const featureTypes = new WeakMap<FeatureView, Readonly<Record<string, ValueType>>>();
