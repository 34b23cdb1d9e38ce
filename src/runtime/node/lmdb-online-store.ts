import { open, type RootDatabase } from 'lmdb';
import { entityKeyToString } from '../../online/entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../online/online-store.js';

/** One stored row: event and created times (microseconds) and the feature values. */
interface StoredRow { e: bigint; c: bigint | null; v: Record<string, unknown> }

/**
 * The online store in LMDB: one memory-mapped file, Node's embedded default. LMDB gives
 * many readers and one writer across processes, so a server can read while the CLI
 * materializes; a batch is one write transaction, so readers see all of it or none.
 * Keys are `project/view/hex(entity key)`.
 */
export class LmdbOnlineStore implements OnlineStore {
  readonly name = 'lmdb';
  readonly #db: RootDatabase<StoredRow, string>;

  constructor(path: string) {
    this.#db = open<StoredRow, string>({ path, compression: false });
  }

  /** Names are limited to [A-Za-z0-9_.-], so '/' cannot occur in them (NUL would: lmdb-js reads it as an array separator). */
  static #prefix(project: string, view: string): string {
    return `${project}/${view}/`;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const prefix = LmdbOnlineStore.#prefix(project, batch.view);
    const names = Object.keys(batch.features);
    // The read-compare-put runs inside one write transaction: no other writer interleaves.
    const result = this.#db.transactionSync(() => {
      let written = 0;
      for (let i = 0; i < batch.keys.length; i++) {
        const key = prefix + entityKeyToString(batch.keys[i]);
        const event = batch.eventTimestamps[i];
        const created = batch.createdTimestamps?.[i] ?? null;
        const stored = this.#db.get(key);
        if (stored && !isNotOlder(event, created, stored.e, stored.c)) continue;
        const values: Record<string, unknown> = {};
        for (const name of names) values[name] = batch.features[name][i] ?? null;
        this.#db.putSync(key, { e: event, c: created, v: values });
        written++;
      }
      return { written, skipped: batch.keys.length - written };
    });
    // lmdb-js reuses a read snapshot within a tick; renew it so this process reads its own write.
    this.#db.resetReadTxn();
    return result;
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const prefix = LmdbOnlineStore.#prefix(project, view);
    const rows = await this.#db.getMany(keys.map((k) => prefix + entityKeyToString(k)));
    const values: Record<string, unknown[]> = {};
    for (const f of features) values[f] = rows.map((row) => (row ? (row.v[f] ?? null) : null));
    return { eventTimestamps: rows.map((row) => (row ? row.e : null)), values };
  }

  async deleteView(project: string, view: string): Promise<void> {
    const prefix = LmdbOnlineStore.#prefix(project, view);
    const keys = [...this.#db.getKeys({ start: prefix, end: `${prefix}\uffff` })];
    this.#db.transactionSync(() => {
      for (const key of keys) this.#db.removeSync(key);
    });
    this.#db.resetReadTxn();
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
