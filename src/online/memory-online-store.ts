import { entityKeyToString } from './entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from './online-store.js';

/**
 * One view's rows, column by column: a row is a slot shared by every column. Columns
 * instead of an object per row keep writes and reads to array stores and lookups, with
 * no per-row allocation for the garbage collector.
 */
class ViewTable {
  readonly slots = new Map<string, number>();
  readonly events: bigint[] = [];
  readonly created: (bigint | null)[] = [];
  readonly columns = new Map<string, unknown[]>();

  column(name: string): unknown[] {
    let column = this.columns.get(name);
    if (!column) this.columns.set(name, (column = []));
    return column;
  }
}

/** The online store in memory: tests, caches, and short-lived processes. */
export class MemoryOnlineStore implements OnlineStore {
  readonly name = 'memory';
  readonly #views = new Map<string, ViewTable>();

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const id = `${project}\u0000${batch.view}`;
    let table = this.#views.get(id);
    if (!table) this.#views.set(id, (table = new ViewTable()));
    const names = Object.keys(batch.features);
    const given = names.map((name) => batch.features[name]);
    const targets = names.map((name) => table.column(name));
    // A row replaces the stored row whole: columns this batch does not carry become null.
    const absent = [...table.columns.entries()].filter(([name]) => !(name in batch.features)).map(([, column]) => column);
    // First decide which rows win (the event-time rule), then copy column by column.
    const rows = batch.keys.length;
    const slotOf = new Int32Array(rows).fill(-1);
    let written = 0;
    for (let i = 0; i < rows; i++) {
      const key = entityKeyToString(batch.keys[i]);
      const event = batch.eventTimestamps[i];
      const created = batch.createdTimestamps?.[i] ?? null;
      let slot = table.slots.get(key);
      if (slot === undefined) {
        slot = table.events.length;
        table.slots.set(key, slot);
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
      for (let i = 0; i < rows; i++) if (slotOf[i] >= 0) target[slotOf[i]] = source[i] ?? null;
    }
    for (const column of absent) for (let i = 0; i < rows; i++) if (slotOf[i] >= 0) column[slotOf[i]] = null;
    return { written, skipped: batch.keys.length - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const table = this.#views.get(`${project}\u0000${view}`);
    const slots = new Int32Array(keys.length).fill(-1);
    const eventTimestamps = new Array<bigint | null>(keys.length).fill(null);
    if (table) {
      for (let i = 0; i < keys.length; i++) {
        const slot = table.slots.get(entityKeyToString(keys[i]));
        if (slot !== undefined) { slots[i] = slot; eventTimestamps[i] = table.events[slot]; }
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
