import { open, type RootDatabase } from 'lmdb';
import { InvalidOnlineWriteError, OnlineStoreFaultError } from '../../../errors.js';
import {
  assertValidBatch,
  assertValidColumnarBatch,
  createdAt,
  isNotOlder,
  isNumberColumn,
  isValidAt,
  type NumberColumn,
  type OnlineColumnarBatch,
  type OnlineReadResult,
  type OnlineStore,
  type OnlineWriteBatch,
} from '../../../online/online-store.js';
import { storageFaultOf } from '../storage-fault.js';
import { decodeInto, encodeNumberRow, encodeRow, readHeader, schemaIdOf } from './lmdb-row-format.js';

const text = new TextEncoder();
const fromText = new TextDecoder();
/** lmdb-js's largest key (LMDB's limit at its default page size): a longer key fails mid-transaction. */
export const LMDB_MAX_KEY_BYTES = 1978;
/** 64 GiB of address space; a store that outgrows it is remapped larger by lmdb-js. */
const MAP_SIZE = 2 ** 36;

/**
 * The online store in LMDB: one memory-mapped file, Node's embedded default. LMDB gives
 * many readers and one writer across processes, so a server can read while the CLI
 * materializes; a batch is one write transaction, so readers see all of it or none.
 * Rows are keyed by the bytes of `project/view/` and then of the entity key; each view's schemas (lists of feature
 * names, which a row's values follow) are at `project/view`, append-only so that an id a
 * reader has cached never changes meaning.
 */
export class LmdbOnlineStore implements OnlineStore {
  readonly name = 'lmdb';
  readonly #db: RootDatabase<Uint8Array, Uint8Array>;
  readonly #schemas = new Map<string, string[][]>();
  /** Per feature list (the array a plan passes each time) and view, its positions in each schema id. */
  readonly #positions = new WeakMap<readonly string[], Map<string, Map<number, number[]>>>();

  constructor(path: string) {
    // A map reserved large up front (address space only: the file grows as data does) is
    // never remapped as the store grows. lmdb-js otherwise starts at 128 KB and remaps on
    // every growth, and the pages read through superseded maps stayed counted in the
    // process's resident memory: 1.6x the file's size after materializing 500k rows.
    this.#db = open<Uint8Array, Uint8Array>({ path, compression: false, encoding: 'binary', keyEncoding: 'binary', mapSize: MAP_SIZE });
  }

  /** Names are limited to [A-Za-z0-9_.-], so '/' cannot occur in them (NUL would: lmdb-js reads it as an array separator). */
  static #prefix(project: string, view: string): Uint8Array {
    return text.encode(`${project}/${view}/`);
  }

  /** A row's key: the view's prefix, then the entity key's bytes (binary keys: no string per lookup). */
  static #rowKey(prefix: Uint8Array, key: Uint8Array): Uint8Array {
    const out = new Uint8Array(prefix.length + key.length);
    out.set(prefix, 0);
    out.set(key, prefix.length);
    return out;
  }

  /** The view's key prefix, once every key is known to fit: a put that fails inside the transaction would abort it midway. */
  static #checkedPrefix(project: string, view: string, keys: readonly Uint8Array[]): Uint8Array {
    const prefix = LmdbOnlineStore.#prefix(project, view);
    keys.forEach((key, i) => {
      if (prefix.length + key.length > LMDB_MAX_KEY_BYTES) {
        throw new InvalidOnlineWriteError(
          `write to '${view}': row ${i}: its entity key is ${key.length} bytes; LMDB keys hold at most ${LMDB_MAX_KEY_BYTES - prefix.length} here (nothing was written)`,
        );
      }
    });
    return prefix;
  }

  #readSchemas(project: string, view: string): string[][] {
    const bytes = this.#db.get(text.encode(`${project}/${view}`));
    const schemas = bytes ? (JSON.parse(fromText.decode(bytes)) as string[][]) : [];
    this.#schemas.set(`${project}/${view}`, schemas);
    return schemas;
  }

  /** The schema id of a list of feature names; a new list is appended (inside the caller's write transaction). */
  #schemaId(project: string, view: string, names: readonly string[]): number {
    const schemas = this.#readSchemas(project, view);
    const wanted = JSON.stringify(names);
    const found = schemas.findIndex((s) => JSON.stringify(s) === wanted);
    if (found >= 0) return found;
    schemas.push([...names]);
    this.#db.putSync(text.encode(`${project}/${view}`), text.encode(JSON.stringify(schemas)));
    return schemas.length - 1;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const prefix = LmdbOnlineStore.#checkedPrefix(project, batch.view, batch.keys);
    const names = Object.keys(batch.features);
    const columns = names.map((name) => batch.features[name]);
    const values = new Array<unknown>(names.length);
    // The read-compare-put runs inside one write transaction: no other writer interleaves.
    const result = await this.#committed(`write to '${batch.view}'`, () => {
      const schemaId = this.#schemaId(project, batch.view, names);
      let written = 0;
      for (let i = 0; i < batch.keys.length; i++) {
        const key = LmdbOnlineStore.#rowKey(prefix, batch.keys[i]);
        const event = batch.eventTimestamps[i];
        const created = batch.createdTimestamps?.[i] ?? null;
        const stored = this.#db.getBinaryFast(key);
        if (stored) {
          const header = readHeader(stored);
          if (!isNotOlder(event, created, header.event, header.created)) continue;
        }
        for (let f = 0; f < columns.length; f++) values[f] = columns[f][i] ?? null;
        this.#db.putSync(key, encodeRow(event, created, schemaId, values));
        written++;
      }
      return { written, skipped: batch.keys.length - written };
    });
    // lmdb-js reuses a read snapshot within a tick; renew it so this process reads its own write.
    this.#db.resetReadTxn();
    return result;
  }

  /**
   * One write transaction; a commit the storage refuses (a full disk) is an
   * OnlineStoreFaultError. LMDB aborts the whole transaction, so nothing of it is stored,
   * and the environment stays usable: the next commit is tried afresh (checked on a full tmpfs).
   */
  async #committed<T>(what: string, work: () => T): Promise<T> {
    try {
      return await this.#db.transaction(work);
    } catch (error) {
      // lmdb-js rejects the batch with a generic error and its cause in a promise that must be handled, or it kills the process.
      const commitError = (error as { commitError?: Promise<unknown> }).commitError;
      const cause = commitError
        ? await commitError.then(
            () => error,
            (reason: unknown) => reason,
          )
        : error;
      const fault = storageFaultOf(cause);
      if (fault || commitError) {
        throw new OnlineStoreFaultError(`online store (LMDB): ${what} failed: ${fault ?? (cause as Error).message}; nothing was written`, { cause });
      }
      throw error;
    }
  }

  /**
   * write() for a columnar batch (materialization): a row of typed number columns is
   * encoded straight from them, other rows gather their values as write() does.
   */
  async writeColumns(project: string, batch: OnlineColumnarBatch): Promise<{ written: number; skipped: number }> {
    assertValidColumnarBatch(batch);
    const prefix = LmdbOnlineStore.#checkedPrefix(project, batch.view, batch.keys);
    const names = Object.keys(batch.features);
    const columns = names.map((name) => batch.features[name]);
    const numbers = columns.every(isNumberColumn) ? (columns as NumberColumn[]) : undefined;
    const values = new Array<unknown>(names.length);
    const valueAt = (f: number, i: number): unknown => {
      const column = columns[f];
      if (!isNumberColumn(column)) return column[i] ?? null;
      return isValidAt(column.valid, i) ? column.numbers[i] : null;
    };
    const { eventTimestamps: events, createdTimestamps: created } = batch;
    const result = await this.#committed('materialize write', () => {
      const schemaId = this.#schemaId(project, batch.view, names);
      let written = 0;
      for (let i = 0; i < batch.keys.length; i++) {
        const key = LmdbOnlineStore.#rowKey(prefix, batch.keys[i]);
        const event = events[i];
        const createdTime = createdAt(created, i);
        const stored = this.#db.getBinaryFast(key);
        if (stored) {
          const header = readHeader(stored);
          if (!isNotOlder(event, createdTime, header.event, header.created)) continue;
        }
        if (numbers) {
          this.#db.putSync(key, encodeNumberRow(event, createdTime, schemaId, numbers, i));
        } else {
          for (let f = 0; f < columns.length; f++) values[f] = valueAt(f, i);
          this.#db.putSync(key, encodeRow(event, createdTime, schemaId, values));
        }
        written++;
      }
      return { written, skipped: batch.keys.length - written };
    });
    this.#db.resetReadTxn();
    return result;
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const prefix = LmdbOnlineStore.#prefix(project, view);
    const viewKey = `${project}/${view}`;
    let schemas = this.#schemas.get(viewKey) ?? this.#readSchemas(project, view);
    // A plan's feature list is one array for every request of that plan: its positions in
    // each schema (append-only, so an id's meaning never changes) are worked out once.
    let byView = this.#positions.get(features);
    if (!byView) this.#positions.set(features, (byView = new Map()));
    let positions = byView.get(viewKey);
    if (!positions) byView.set(viewKey, (positions = new Map<number, number[]>()));
    const positionsOf = (id: number): number[] => {
      let found = positions.get(id);
      if (!found) {
        // Another process may have added a schema since this one last looked.
        if (id >= schemas.length) schemas = this.#readSchemas(project, view);
        const names = schemas[id] ?? [];
        positions.set(id, (found = features.map((f) => names.indexOf(f))));
      }
      return found;
    };
    const eventTimestamps = new Array<bigint | null>(keys.length);
    const columns = features.map(() => new Array<unknown>(keys.length));
    // Synchronous gets in one read snapshot: for the tens of keys of a request they beat
    // getMany, whose promise costs more than the lookups. getBinaryFast lends a buffer that
    // the next get reuses, so each row is decoded into the columns before the next.
    for (let i = 0; i < keys.length; i++) {
      const key = LmdbOnlineStore.#rowKey(prefix, keys[i]);
      // A key too long to store was never written (lmdb-js throws on it rather than missing).
      let row = key.length > LMDB_MAX_KEY_BYTES ? undefined : this.#db.getBinaryFast(key);
      if (!row) {
        eventTimestamps[i] = null;
        for (const column of columns) column[i] = null;
        continue;
      }
      const id = schemaIdOf(row);
      if (!positions.has(id)) {
        positionsOf(id);
        // Reading the schemas reused the lent buffer: fetch the row again.
        row = this.#db.getBinaryFast(key)!;
      }
      const at = positionsOf(id);
      eventTimestamps[i] = readHeader(row).event;
      decodeInto(row, schemas[id]?.length ?? 0, at, columns, i);
    }
    const values: Record<string, unknown[]> = {};
    features.forEach((f, p) => {
      values[f] = columns[p];
    });
    return { eventTimestamps, values };
  }

  async deleteView(project: string, view: string): Promise<void> {
    const prefix = LmdbOnlineStore.#prefix(project, view);
    // Every row key starts with `project/view/`; the first key past them ends in '0' ('/' + 1).
    const end = prefix.slice();
    end[end.length - 1]++;
    const keys = [...this.#db.getKeys({ start: prefix, end })];
    try {
      this.#db.transactionSync(() => {
        for (const key of keys) this.#db.removeSync(key);
      });
    } catch (error) {
      const fault = storageFaultOf(error);
      if (fault) throw new OnlineStoreFaultError(`online store (LMDB): deleting the rows of '${view}' failed: ${fault}; none were deleted`, { cause: error });
      throw error;
    }
    this.#db.resetReadTxn();
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
