import { InvalidOnlineWriteError } from '../errors.js';
import type { ValueType } from '../definitions/index.js';

/**
 * Rows for one feature view, columnar: row i is `keys[i]` with its timestamps and
 * `features[name][i]`. Timestamps are microseconds since the epoch (UTC).
 */
export interface OnlineWriteBatch {
  readonly view: string;
  readonly keys: readonly Uint8Array[];
  readonly eventTimestamps: readonly bigint[];
  readonly createdTimestamps?: readonly (bigint | null)[];
  readonly features: Readonly<Record<string, readonly unknown[]>>;
  /**
   * The view's declared type per feature, for stores that write typed bytes (Feast's
   * layouts: Float32 and Float64 are different protobuf members). Stores that keep JS
   * values ignore it; a store that needs a type it lacks infers one from the value.
   */
  readonly featureTypes?: Readonly<Record<string, ValueType>>;
}

/**
 * Numbers in one typed array (Float32 and Int32 features arrive widened to Float64 as a
 * read gives them back); row i is null where `valid` is given and its bit i (LSB first,
 * Arrow's order) is clear. Materialization hands these over straight from the Arrow
 * batches, so a store can encode rows without a JS value per cell.
 */
export interface NumberColumn {
  readonly numbers: Float64Array | Float32Array | Int32Array;
  readonly valid?: Uint8Array;
}

/** A feature's values for a columnar write: typed numbers, or plain values (strings, lists, int64, ...). */
export type FeatureColumn = readonly unknown[] | NumberColumn;

/** Instants in microseconds; row i is null where `valid` is given and its bit i is clear. */
export interface TimestampColumn {
  readonly micros: BigInt64Array;
  readonly valid?: Uint8Array;
}

/** OnlineWriteBatch's columnar twin, as materialization reads it: timestamps and numbers in typed arrays. */
export interface OnlineColumnarBatch {
  readonly view: string;
  readonly keys: readonly Uint8Array[];
  readonly eventTimestamps: BigInt64Array;
  readonly createdTimestamps?: TimestampColumn;
  readonly features: Readonly<Record<string, FeatureColumn>>;
  readonly featureTypes?: Readonly<Record<string, ValueType>>;
}

export function isNumberColumn(column: FeatureColumn): column is NumberColumn {
  return !Array.isArray(column);
}

export function isValidAt(valid: Uint8Array | undefined, row: number): boolean {
  return valid === undefined || (valid[row >> 3] & (1 << (row & 7))) !== 0;
}

/** A column's values as plain JS values (the row-by-row path): numbers, null where invalid. */
export function columnValues(column: FeatureColumn): readonly unknown[] {
  if (!isNumberColumn(column)) return column;
  const { numbers, valid } = column;
  const out = new Array<unknown>(numbers.length);
  for (let i = 0; i < numbers.length; i++) out[i] = isValidAt(valid, i) ? numbers[i] : null;
  return out;
}

/** The created time of row i, or null. */
export function createdAt(created: TimestampColumn | undefined, row: number): bigint | null {
  return created && isValidAt(created.valid, row) ? created.micros[row] : null;
}

/** A columnar batch as a row-by-row write, for stores without writeColumns (KV, Redis, IndexedDB). */
export function toRowBatch(batch: OnlineColumnarBatch): OnlineWriteBatch {
  const rows = batch.keys.length;
  const features: Record<string, readonly unknown[]> = {};
  for (const [name, column] of Object.entries(batch.features)) features[name] = columnValues(column);
  const created = batch.createdTimestamps;
  return {
    view: batch.view,
    keys: batch.keys,
    eventTimestamps: Array.from(batch.eventTimestamps),
    ...(created ? { createdTimestamps: Array.from({ length: rows }, (_, i) => createdAt(created, i)) } : {}),
    features,
    ...(batch.featureTypes ? { featureTypes: batch.featureTypes } : {}),
  };
}

/** What a batch read found, aligned with the requested keys. */
export interface OnlineReadResult {
  /** The stored event timestamp, or null where the key was never written (NOT_FOUND). */
  readonly eventTimestamps: (bigint | null)[];
  /** Per requested feature: the stored value (null for a stored null or an absent key). */
  readonly values: Record<string, unknown[]>;
}

/**
 * Where the latest feature values live, per project, view and entity key. Every store
 * keeps Feast's event-time rule: a row replaces the stored one only if its (event
 * timestamp, created timestamp) is not older, so an older event never overwrites a newer.
 */
export interface OnlineStore {
  readonly name: string;
  /** Writes a batch whole or not at all; returns rows written and rows skipped as older. */
  write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }>;
  /**
   * The same as write() for a columnar batch (materialization), encoding rows straight
   * from the typed columns; optional: callers fall back to write(toRowBatch(batch)).
   */
  writeColumns?(project: string, batch: OnlineColumnarBatch): Promise<{ written: number; skipped: number }>;
  read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult>;
  /** Removes every row of a view (teardown, or a redefined view). */
  deleteView(project: string, view: string): Promise<void>;
  close(): Promise<void>;
}

/** A stored row replaces another only if its (event, created) pair is not older; null created is oldest. */
export function isNotOlder(event: bigint, created: bigint | null, storedEvent: bigint, storedCreated: bigint | null): boolean {
  if (event !== storedEvent) return event > storedEvent;
  if (created === null) return storedCreated === null;
  return storedCreated === null || created >= storedCreated;
}

/** Checks a batch's columns line up before anything is written, naming the column at fault. */
export function assertValidBatch(batch: OnlineWriteBatch): void {
  const rows = batch.keys.length;
  const bad = (what: string) => new InvalidOnlineWriteError(`write to '${batch.view}': ${what}`);
  if (batch.eventTimestamps.length !== rows) throw bad(`eventTimestamps has ${batch.eventTimestamps.length} values for ${rows} keys`);
  if (batch.createdTimestamps && batch.createdTimestamps.length !== rows) {
    throw bad(`createdTimestamps has ${batch.createdTimestamps.length} values for ${rows} keys`);
  }
  batch.eventTimestamps.forEach((ts, i) => {
    if (typeof ts !== 'bigint') throw bad(`eventTimestamps[${i}]: expected bigint microseconds, got ${JSON.stringify(ts)}`);
  });
  for (const [name, values] of Object.entries(batch.features)) {
    if (values.length !== rows) throw bad(`feature '${name}' has ${values.length} values for ${rows} keys`);
  }
}

/** Checks a columnar batch's columns line up before anything is written, naming the column at fault. */
export function assertValidColumnarBatch(batch: OnlineColumnarBatch): void {
  const rows = batch.keys.length;
  const bad = (what: string) => new InvalidOnlineWriteError(`write to '${batch.view}': ${what}`);
  if (batch.eventTimestamps.length !== rows) throw bad(`eventTimestamps has ${batch.eventTimestamps.length} values for ${rows} keys`);
  if (batch.createdTimestamps && batch.createdTimestamps.micros.length !== rows) {
    throw bad(`createdTimestamps has ${batch.createdTimestamps.micros.length} values for ${rows} keys`);
  }
  for (const [name, column] of Object.entries(batch.features)) {
    const length = isNumberColumn(column) ? column.numbers.length : column.length;
    if (length !== rows) throw bad(`feature '${name}' has ${length} values for ${rows} keys`);
  }
}
