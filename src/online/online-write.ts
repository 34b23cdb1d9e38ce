import { InvalidOnlineWriteError } from '../errors.js';
import type { FeatureView, ValueType } from '../definitions/index.js';
import { toEpochMicros } from '../definitions/timestamp.js';
import { viewKeyEncoder } from './entity-key.js';
import { entityColumns, type OnlineEntityRows } from './entity-rows.js';
import type { OnlineWriteBatch } from './online-store.js';

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
    case 'Int64':
      if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))) return value;
      throw fail('an integer');
    case 'Float32':
    case 'Float64':
      if (typeof value === 'number') return value;
      throw fail('a number');
    case 'String':
      if (typeof value === 'string') return value;
      throw fail('a string');
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
      if (typeof value === 'string') return value;
      throw fail('JSON text (a string)');
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
