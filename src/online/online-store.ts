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
