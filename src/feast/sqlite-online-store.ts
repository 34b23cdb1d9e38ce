import type { Database, SqlJsStatic, SqlValue } from 'sql.js';
import { InvalidOnlineStoreConfig } from '../errors.js';
import { createFeastSqliteTable, feastSqliteTable, feastValueText, fromFeastSeconds, quoteSqliteId as q, toFeastSeconds } from './sqlite-layout.js';
import { decodeValue, valueEncoder, type DecodeValueOptions } from './value-proto.js';
import { entityKeyId } from '../online/entity-key.js';
import { newestRows } from '../online/newest-rows.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../online/online-store.js';

export interface FeastSqliteOnlineStoreOptions {
  /** sql.js, initialized by the caller (`await initSqlJs({ locateFile })`): each runtime loads the WASM its own way. */
  readonly sqlJs: SqlJsStatic;
  /** The database file's bytes (Feast's `data/online_store.db`); absent: a new, empty database. */
  readonly data?: Uint8Array | null;
  /**
   * Called with the whole database file after every change (a write, a deleteView),
   * one call at a time, in order; the change's promise settles after it. Absent: the
   * caller takes the bytes with `export()` when it wants them.
   */
  readonly persist?: (bytes: Uint8Array) => void | Promise<void>;
  /** Json values as Feast's stored text (default) or parsed; see DecodeValueOptions. */
  readonly json?: DecodeValueOptions['json'];
}

/** Keys bound per SELECT: well under SQLite's limit on parameters. */
const KEYS_PER_QUERY = 500;

/**
 * The online store in Feast's SQLite layout (`online_store.db`), in memory over sql.js,
 * so it runs in Node, browsers and workers alike: the caller hands in sql.js and the
 * file's bytes and gets the bytes back through `persist` or `export()`. Tables are
 * Feast's (`<project>_<view>`: entity_key, feature_name, value = serialized
 * feast.types.Value, value_text, vector_value, event_ts, created_ts), created on a
 * view's first write; times are whole Unix seconds, as Feast stores them, so they read
 * back without their sub-second part and the event-time rule compares seconds.
 * Writes keep feast-edge's event-time rule (Feast's SQLite store overwrites whatever is
 * there); a write replaces the features it carries and leaves others, as Feast's does.
 * @example const store = new FeastSqliteOnlineStore({ sqlJs: await initSqlJs(), data: bytes, persist: save });
 */
export class FeastSqliteOnlineStore implements OnlineStore {
  readonly name = 'feast-sqlite';
  readonly #db: Database;
  readonly #tables = new Set<string>();
  readonly #persist?: (bytes: Uint8Array) => void | Promise<void>;
  readonly #decode: DecodeValueOptions;
  #saving: Promise<void> = Promise.resolve();

  constructor(options: FeastSqliteOnlineStoreOptions) {
    this.#db = new options.sqlJs.Database(options.data ?? undefined);
    this.#persist = options.persist;
    this.#decode = { json: options.json ?? 'text' };
    try {
      const [tables] = this.#db.exec("SELECT name FROM sqlite_master WHERE type = 'table'");
      for (const [name] of tables?.values ?? []) this.#tables.add(String(name));
    } catch (error) {
      this.#db.close();
      throw new InvalidOnlineStoreConfig(`Feast SQLite online store: the bytes given are not a SQLite database (${(error as Error).message})`);
    }
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const { view } = batch;
    const newest = newestRows(batch);
    // Everything is encoded before the transaction, so a value the encoder refuses writes nothing.
    const names = Object.keys(batch.features);
    const encoders = names.map((name) => valueEncoder(batch.featureTypes?.[name], `write to '${view}': ${name}`));
    const rows = [...newest.values()].map((i) => {
      const created = batch.createdTimestamps?.[i] ?? null;
      return {
        key: batch.keys[i],
        event: toFeastSeconds(batch.eventTimestamps[i]),
        created: created === null ? null : toFeastSeconds(created),
        values: names.map((name, f) => encoders[f](batch.features[name][i], i)),
      };
    });
    const table = feastSqliteTable(project, view);
    const db = this.#db;
    let written = 0;
    db.exec('BEGIN');
    try {
      if (!this.#tables.has(table)) db.exec(createFeastSqliteTable(table));
      const stored = db.prepare(`SELECT event_ts, created_ts FROM ${q(table)} WHERE entity_key = ? ORDER BY event_ts DESC, created_ts DESC LIMIT 1`);
      const upsert = db.prepare(
        `INSERT INTO ${q(table)} (entity_key, feature_name, value, value_text, event_ts, created_ts) VALUES (?, ?, ?, ?, ?, ?) ` +
          'ON CONFLICT(entity_key, feature_name) DO UPDATE SET value = excluded.value, value_text = excluded.value_text, ' +
          'event_ts = excluded.event_ts, created_ts = excluded.created_ts',
      );
      try {
        for (const row of rows) {
          stored.bind([row.key]);
          const old = stored.step() ? stored.get() : undefined;
          stored.reset();
          if (old && !isNewer(row.event, row.created, old)) continue;
          names.forEach((name, f) => upsert.run([row.key, name, row.values[f], feastValueText(row.values[f]), row.event, row.created]));
          written++;
        }
      } finally {
        stored.free();
        upsert.free();
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    this.#tables.add(table);
    await this.#save();
    return { written, skipped: batch.keys.length - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const eventTimestamps = new Array<bigint | null>(keys.length).fill(null);
    const values: Record<string, unknown[]> = {};
    const columns = features.map((f) => (values[f] = new Array<unknown>(keys.length).fill(null)));
    const table = feastSqliteTable(project, view);
    if (!this.#tables.has(table) || keys.length === 0) return { eventTimestamps, values };
    const columnOf = new Map(features.map((f, i) => [f, i]));
    // Each distinct key is asked once; a key asked twice gets its row twice.
    const positions = new Map<string, number[]>();
    const distinct: Uint8Array[] = [];
    keys.forEach((key, i) => {
      const id = entityKeyId(key);
      const at = positions.get(id);
      if (at) at.push(i);
      else {
        positions.set(id, [i]);
        distinct.push(key);
      }
    });
    for (let start = 0; start < distinct.length; start += KEYS_PER_QUERY) {
      const chunk = distinct.slice(start, start + KEYS_PER_QUERY);
      const select = this.#db.prepare(
        `SELECT entity_key, feature_name, value, event_ts FROM ${q(table)} WHERE entity_key IN (${chunk.map(() => '?').join(', ')})`,
      );
      try {
        select.bind(chunk);
        while (select.step()) {
          const [key, feature, value, event] = select.get();
          const at = positions.get(entityKeyId(key as Uint8Array))!;
          const micros = fromFeastSeconds(event);
          for (const i of at) if (micros !== null && (eventTimestamps[i] === null || micros > eventTimestamps[i]!)) eventTimestamps[i] = micros;
          const column = columnOf.get(feature as string);
          if (column === undefined || !(value instanceof Uint8Array)) continue;
          const decoded = decodeValue(value, this.#decode);
          for (const i of at) columns[column][i] = decoded;
        }
      } finally {
        select.free();
      }
    }
    return { eventTimestamps, values };
  }

  /** Drops the view's table, as Feast does for a view removed from the repo. */
  async deleteView(project: string, view: string): Promise<void> {
    const table = feastSqliteTable(project, view);
    this.#db.exec(`DROP TABLE IF EXISTS ${q(table)}`);
    this.#tables.delete(table);
    await this.#save();
  }

  /** The whole database file, as Feast opens it. */
  export(): Uint8Array {
    return this.#db.export();
  }

  async close(): Promise<void> {
    await this.#saving.catch(() => undefined);
    this.#db.close();
  }

  /** Hands the file to `persist` after the saves before it, so the last change is saved last. */
  #save(): Promise<void> {
    const persist = this.#persist;
    if (!persist) return Promise.resolve();
    const bytes = this.#db.export();
    this.#saving = this.#saving.catch(() => undefined).then(() => persist(bytes));
    return this.#saving;
  }
}

/** The event-time rule at Feast's precision (seconds); a null created time is the oldest. */
function isNewer(event: number, created: number | null, old: SqlValue[]): boolean {
  const oldEvent = fromFeastSeconds(old[0]);
  if (oldEvent === null) return true;
  const oldCreated = fromFeastSeconds(old[1]);
  return isNotOlder(BigInt(event) * 1_000_000n, created === null ? null : BigInt(created) * 1_000_000n, oldEvent, oldCreated);
}
