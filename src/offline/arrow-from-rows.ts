import {
  Binary, Bool, Float64, Int64, List, Field as ArrowField, TimestampMicrosecond, Utf8, Null,
  vectorFromArray, makeData, makeVector, Table, type DataType, type Vector,
} from 'apache-arrow';
import { FeastEdgeError } from '../definitions/errors.js';
import { toEpochMicros } from './timestamp.js';

/**
 * Builds an Arrow table from plain rows. Column types are inferred from the values:
 * integers -> Int64 (join keys are Int64 in most repos), other numbers -> Float64,
 * Date -> timestamp; columns named in `timestampColumns` are parsed as instants.
 */
export function arrowFromRows(
  rows: readonly Record<string, unknown>[],
  options: { timestampColumns?: readonly string[]; where?: string } = {},
): Table {
  const where = options.where ?? 'rows';
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new FeastEdgeError('InvalidEntityDfError', `${where}: every row must be an object of column -> value`);
    }
    for (const key of Object.keys(row)) if (!seen.has(key)) { seen.add(key); names.push(key); }
  }
  const timestampColumns = new Set(options.timestampColumns ?? []);
  const columns: Record<string, Vector> = {};
  for (const name of names) {
    const values = rows.map((r) => r[name] ?? null);
    columns[name] = columnVector(values, timestampColumns.has(name), `${where} column '${name}'`);
  }
  return new Table(columns);
}

/** One column's values to an Arrow vector of the inferred type. */
export function columnVector(values: readonly unknown[], isTimestamp: boolean, where: string): Vector {
  const type = isTimestamp ? new TimestampMicrosecond() : inferType(values, where);
  if (type instanceof TimestampMicrosecond) {
    // Arrow JS takes timestamp values as milliseconds; build from micros to keep precision.
    const micros = new BigInt64Array(values.length);
    const valid = new Uint8Array(Math.ceil(values.length / 8));
    let nulls = 0;
    values.forEach((v, i) => {
      if (v === null || v === undefined) { nulls++; return; }
      micros[i] = toEpochMicros(v, `${where} row ${i}`);
      valid[i >> 3] |= 1 << (i & 7);
    });
    return timestampVector(micros, nulls > 0 ? valid : undefined);
  }
  if (type instanceof Int64) {
    return vectorFromArray(values.map((v) => (v === null ? null : BigInt(v as number | bigint))), type);
  }
  return vectorFromArray(values as unknown[], type);
}


/** A TimestampMicrosecond vector over raw microsecond values (exact, no ms rounding). */
export function timestampVector(micros: BigInt64Array, validity?: Uint8Array): Vector<TimestampMicrosecond> {
  const type = new TimestampMicrosecond();
  const nullCount = validity ? micros.length - countBits(validity, micros.length) : 0;
  const data = makeData({
    type, length: micros.length, nullCount,
    data: new Int32Array(micros.buffer, micros.byteOffset, micros.length * 2),
    ...(validity ? { nullBitmap: validity } : {}),
  });
  return makeVector(data);
}

function countBits(bitmap: Uint8Array, length: number): number {
  let n = 0;
  for (let i = 0; i < length; i++) if (bitmap[i >> 3] & (1 << (i & 7))) n++;
  return n;
}

function inferType(values: readonly unknown[], where: string): DataType {
  let kind: string | undefined;
  let element: unknown[] | undefined;
  for (const v of values) {
    if (v === null || v === undefined) continue;
    const k = v instanceof Date ? 'date' : v instanceof Uint8Array ? 'bytes' : Array.isArray(v) ? 'list'
      : typeof v === 'number' ? (Number.isInteger(v) ? 'int' : 'float') : typeof v;
    if (k === 'list') (element ??= []).push(...(v as unknown[]));
    if (kind === undefined || kind === k) { kind = k; continue; }
    if ((kind === 'int' && k === 'float') || (kind === 'float' && k === 'int')) { kind = 'float'; continue; }
    if ((kind === 'int' && k === 'bigint') || (kind === 'bigint' && k === 'int')) { kind = 'bigint'; continue; }
    throw new FeastEdgeError('InvalidEntityDfError', `${where}: mixes ${kind} and ${k} values`);
  }
  switch (kind) {
    case undefined: return new Null();
    case 'int': case 'bigint': return new Int64();
    case 'float': return new Float64();
    case 'string': return new Utf8();
    case 'boolean': return new Bool();
    case 'date': return new TimestampMicrosecond();
    case 'bytes': return new Binary();
    case 'list': return new List(new ArrowField('item', inferType(element ?? [], `${where} (list element)`), true));
    default: throw new FeastEdgeError('InvalidEntityDfError', `${where}: unsupported value type ${kind}`);
  }
}
