import { BinaryReader } from '@bufbuild/protobuf/wire';
import { VALUE_FIELD as F } from './value-fields.js';

/*
 * Feast's SQLite online store layout (Feast's infra/online_stores/sqlite.py): one table
 * per view named `<project>_<view>`, one row per entity key and feature, the value a
 * serialized feast.types.Value, times as integer Unix seconds.
 */

/** The table of a view: `<project>_<view>`, as Feast names it. */
export function feastSqliteTable(project: string, view: string): string {
  return `${project}_${view}`;
}

/** An identifier quoted for SQL, as Feast quotes it (a double quote doubles). */
export function quoteSqliteId(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Feast's table and its entity-key index (Feast's `update` creates both). */
export function createFeastSqliteTable(table: string): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${quoteSqliteId(table)} (entity_key BLOB, feature_name TEXT, value BLOB, value_text TEXT, ` +
    'vector_value BLOB, event_ts timestamp, created_ts timestamp, PRIMARY KEY(entity_key, feature_name));' +
    `CREATE INDEX IF NOT EXISTS ${quoteSqliteId(`${table}_ek`)} ON ${quoteSqliteId(table)} (entity_key);`
  );
}

/**
 * What Feast puts in `value_text` for a serialized Value: Python's `str()` of a string,
 * integer, float or bool member (floats widened to double first, as Python reads them),
 * NULL for every other member and for null.
 * @example feastValueText(Uint8Array.of(0x38, 0x01)) // 'True'
 */
export function feastValueText(bytes: Uint8Array): string | null {
  if (bytes.length === 0) return null;
  const r = new BinaryReader(bytes);
  let text: string | null = null;
  while (r.pos < r.len) {
    const [field, type] = r.tag();
    switch (field) {
      case F.string:
        text = r.string();
        break;
      case F.int32:
        text = String(r.int32());
        break;
      case F.int64:
        text = String(r.int64());
        break;
      case F.double:
        text = pythonFloatRepr(r.double());
        break;
      case F.float:
        text = pythonFloatRepr(r.float());
        break;
      case F.bool:
        text = r.bool() ? 'True' : 'False';
        break;
      default:
        r.skip(type, field);
        text = null;
    }
  }
  return text;
}

/**
 * Python's `repr(float)`: the shortest digits that read back the same number (which JS
 * finds too), written fixed between 1e-4 and 1e16 with at least one decimal ('1.0'),
 * else as '1e-05' / '1.5e+16'.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = x.toExponential().split('e');
  const exponent = Number(exponentText);
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace(/[-.]/g, '');
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  return `${sign}${whole}.${digits.slice(exponent + 1) || '0'}`;
}

const MICROS = 1_000_000n;

/** An instant (microseconds) as Feast stores it in event_ts / created_ts: whole seconds, earlier ones floored. */
export function toFeastSeconds(micros: bigint): number {
  const seconds = micros / MICROS;
  return Number(micros < 0n && seconds * MICROS !== micros ? seconds - 1n : seconds);
}

/** A stored event_ts / created_ts (integer seconds; ISO text from other writers) in microseconds, or null. */
export function fromFeastSeconds(value: unknown): bigint | null {
  if (typeof value === 'number') return BigInt(Math.floor(value)) * MICROS;
  if (typeof value === 'bigint') return value * MICROS;
  if (typeof value === 'string') {
    if (/^-?\d+$/.test(value)) return BigInt(value) * MICROS;
    // Python's isoformat without a zone: Feast means UTC.
    const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
    if (!Number.isNaN(ms)) return BigInt(ms) * 1000n;
  }
  return null;
}
