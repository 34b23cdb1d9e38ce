import {
  assertValidBatch,
  assertValidColumnarBatch,
  createdAt,
  isNotOlder,
  isNumberColumn,
  isValidAt,
  type FeatureColumn,
  type OnlineColumnarBatch,
  type OnlineReadResult,
  type OnlineStore,
  type OnlineWriteBatch,
} from './online-store.js';

/** FNV-1a over the key's bytes: a number key, which a Map finds far faster than a string built per lookup. */
function hashBytes(key: Uint8Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key[i], 0x01000193);
  return hash >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One view's rows, column by column: a row is a slot shared by every column. Columns
 * instead of an object per row keep writes and reads to array stores and lookups, with
 * no per-row allocation for the garbage collector. Keys are found by hash, then
 * compared byte for byte (distinct keys may share a hash).
 */
class ViewTable {
  readonly #byHash = new Map<number, number | number[]>();
  readonly keys: Uint8Array[] = [];
  readonly events: bigint[] = [];
  readonly created: (bigint | null)[] = [];
  readonly columns = new Map<string, unknown[]>();

  column(name: string): unknown[] {
    let column = this.columns.get(name);
    if (!column) this.columns.set(name, (column = []));
    return column;
  }

  /** The key's slot, or -1. */
  find(key: Uint8Array): number {
    const entry = this.#byHash.get(hashBytes(key));
    if (entry === undefined) return -1;
    if (typeof entry === 'number') return sameBytes(this.keys[entry], key) ? entry : -1;
    for (const slot of entry) if (sameBytes(this.keys[slot], key)) return slot;
    return -1;
  }

  /** A new slot for a key not yet stored. */
  add(key: Uint8Array): number {
    const slot = this.keys.length;
    this.keys.push(key.slice());
    const hash = hashBytes(key);
    const entry = this.#byHash.get(hash);
    if (entry === undefined) this.#byHash.set(hash, slot);
    else if (typeof entry === 'number') this.#byHash.set(hash, [entry, slot]);
    else entry.push(slot);
    return slot;
  }
}

/** The online store in memory: tests, caches, and short-lived processes. */
export class MemoryOnlineStore implements OnlineStore {
  readonly name = 'memory';
  readonly #views = new Map<string, ViewTable>();

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const created = batch.createdTimestamps;
    return this.#write(project, batch.view, batch.keys, batch.eventTimestamps, created ? (i) => created[i] ?? null : () => null, batch.features);
  }

  /** write() for a columnar batch: typed number columns are copied into the view's columns with no values array per batch. */
  async writeColumns(project: string, batch: OnlineColumnarBatch): Promise<{ written: number; skipped: number }> {
    assertValidColumnarBatch(batch);
    const created = batch.createdTimestamps;
    return this.#write(project, batch.view, batch.keys, batch.eventTimestamps, (i) => createdAt(created, i), batch.features);
  }

  #write(
    project: string,
    view: string,
    keys: readonly Uint8Array[],
    events: ArrayLike<bigint>,
    createdOf: (row: number) => bigint | null,
    features: Readonly<Record<string, FeatureColumn>>,
  ): { written: number; skipped: number } {
    const id = `${project}\u0000${view}`;
    let table = this.#views.get(id);
    if (!table) this.#views.set(id, (table = new ViewTable()));
    const names = Object.keys(features);
    const given = names.map((name) => features[name]);
    const targets = names.map((name) => table.column(name));
    // A row replaces the stored row whole: columns this batch does not carry become null.
    const absent = [...table.columns.entries()].filter(([name]) => !(name in features)).map(([, column]) => column);
    // First decide which rows win (the event-time rule), then copy column by column.
    const rows = keys.length;
    const slotOf = new Int32Array(rows).fill(-1);
    let written = 0;
    for (let i = 0; i < rows; i++) {
      const event = events[i];
      const created = createdOf(i);
      let slot = table.find(keys[i]);
      if (slot < 0) {
        slot = table.add(keys[i]);
      } else if (!isNotOlder(event, created, table.events[slot], table.created[slot])) {
        continue;
      }
      table.events[slot] = event;
      table.created[slot] = created;
      slotOf[i] = slot;
      written++;
    }
    for (let f = 0; f < targets.length; f++) {
      const source = given[f];
      const target = targets[f];
      if (isNumberColumn(source)) {
        const { numbers, valid } = source;
        for (let i = 0; i < rows; i++) if (slotOf[i] >= 0) target[slotOf[i]] = isValidAt(valid, i) ? numbers[i] : null;
      } else {
        for (let i = 0; i < rows; i++) if (slotOf[i] >= 0) target[slotOf[i]] = source[i] ?? null;
      }
    }
    for (const column of absent) for (let i = 0; i < rows; i++) if (slotOf[i] >= 0) column[slotOf[i]] = null;
    return { written, skipped: rows - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const table = this.#views.get(`${project}\u0000${view}`);
    const slots = new Int32Array(keys.length).fill(-1);
    const eventTimestamps = new Array<bigint | null>(keys.length).fill(null);
    if (table) {
      for (let i = 0; i < keys.length; i++) {
        const slot = table.find(keys[i]);
        if (slot >= 0) {
          slots[i] = slot;
          eventTimestamps[i] = table.events[slot];
        }
      }
    }
    const values: Record<string, unknown[]> = {};
    for (const feature of features) {
      const column = table?.columns.get(feature);
      const out = new Array<unknown>(keys.length).fill(null);
      if (column) for (let i = 0; i < keys.length; i++) if (slots[i] >= 0) out[i] = column[slots[i]] ?? null;
      values[feature] = out;
    }
    return { eventTimestamps, values };
  }

  async deleteView(project: string, view: string): Promise<void> {
    this.#views.delete(`${project}\u0000${view}`);
  }

  async close(): Promise<void> {
    this.#views.clear();
  }
}
