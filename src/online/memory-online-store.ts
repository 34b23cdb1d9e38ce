import { entityKeyToString } from './entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from './online-store.js';

interface StoredRow { event: bigint; created: bigint | null; values: Record<string, unknown> }

/** The online store in a Map: tests, caches, and short-lived processes. */
export class MemoryOnlineStore implements OnlineStore {
  readonly name = 'memory';
  readonly #views = new Map<string, Map<string, StoredRow>>();

  #table(project: string, view: string, create: boolean): Map<string, StoredRow> | undefined {
    const id = `${project}\u0000${view}`;
    let table = this.#views.get(id);
    if (!table && create) this.#views.set(id, (table = new Map()));
    return table;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const table = this.#table(project, batch.view, true)!;
    const names = Object.keys(batch.features);
    let written = 0;
    for (let i = 0; i < batch.keys.length; i++) {
      const key = entityKeyToString(batch.keys[i]);
      const event = batch.eventTimestamps[i];
      const created = batch.createdTimestamps?.[i] ?? null;
      const stored = table.get(key);
      if (stored && !isNotOlder(event, created, stored.event, stored.created)) continue;
      const values: Record<string, unknown> = {};
      for (const name of names) values[name] = batch.features[name][i] ?? null;
      table.set(key, { event, created, values });
      written++;
    }
    return { written, skipped: batch.keys.length - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const table = this.#table(project, view, false);
    const eventTimestamps: (bigint | null)[] = new Array(keys.length);
    const values: Record<string, unknown[]> = {};
    for (const f of features) values[f] = new Array(keys.length);
    keys.forEach((key, i) => {
      const row = table?.get(entityKeyToString(key));
      eventTimestamps[i] = row ? row.event : null;
      for (const f of features) values[f][i] = row ? (row.values[f] ?? null) : null;
    });
    return { eventTimestamps, values };
  }

  async deleteView(project: string, view: string): Promise<void> {
    this.#views.delete(`${project}\u0000${view}`);
  }

  async close(): Promise<void> {
    this.#views.clear();
  }
}
