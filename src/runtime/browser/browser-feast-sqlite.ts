import type { SqlJsStatic } from 'sql.js';
import { ConfigurationError } from '../../errors.js';
import { FeastSqliteOnlineStore, type FeastSqliteOnlineStoreOptions } from '../../feast/sqlite-online-store.js';
import { keptFile, type KeepIn, type KeptFile } from './kept-file.js';

export interface BrowserFeastSqliteOptions {
  /** sql.js's .wasm for browsers (`sql.js/dist/sql-wasm-browser.wasm`), served by the app's own origin. */
  readonly sqlJsWasm: string;
  /** Feast's `online_store.db`: it replaces the kept copy. Absent: the copy an earlier visit kept, else a new, empty database. */
  readonly file?: Blob | Uint8Array;
  /** Where the database is kept between visits; default OPFS where the browser can write it, else IndexedDB. */
  readonly keepIn?: KeepIn;
  /** The name it is kept under (an OPFS path, or the IndexedDB key); default 'feast-edge/online_store.db'. */
  readonly name?: string;
  readonly json?: FeastSqliteOnlineStoreOptions['json'];
}

export interface BrowserFeastSqlite {
  readonly store: FeastSqliteOnlineStore;
  readonly keptIn: KeepIn;
  /** Where the rows came from: the given file, the kept copy, or nowhere (a new database). */
  readonly from: 'file' | 'kept' | 'new';
}

/** The store over a kept file, which it lets go of when closed. */
class KeptFeastSqliteOnlineStore extends FeastSqliteOnlineStore {
  readonly #kept: KeptFile;
  constructor(options: FeastSqliteOnlineStoreOptions, kept: KeptFile) {
    super(options);
    this.#kept = kept;
  }
  override async close(): Promise<void> {
    await super.close();
    this.#kept.close();
  }
}

const loaded = new Map<string, Promise<SqlJsStatic>>();

/** sql.js, imported on first use (a page that never opens a Feast file never loads it), its .wasm from `wasmUrl`. */
function loadSqlJs(wasmUrl: string): Promise<SqlJsStatic> {
  let sqlJs = loaded.get(wasmUrl);
  if (!sqlJs) {
    sqlJs = import('sql.js').then(({ default: initSqlJs }) => initSqlJs({ locateFile: () => wasmUrl }));
    sqlJs.catch(() => loaded.delete(wasmUrl));
    loaded.set(wasmUrl, sqlJs);
  }
  return sqlJs;
}

/**
 * Feast's SQLite online store (`online_store.db`) in a browser or worker: sql.js holds the
 * database in memory, and after every change the whole file is written back to OPFS or
 * IndexedDB, so a reload serves what the last visit wrote. One tab at a time: two tabs
 * writing would each keep their own copy over the other's.
 * @example const { store } = await openBrowserFeastSqlite({ sqlJsWasm, file: picked });
 */
export async function openBrowserFeastSqlite(options: BrowserFeastSqliteOptions): Promise<BrowserFeastSqlite> {
  if (!options.sqlJsWasm) {
    throw new ConfigurationError("Feast's SQLite online store needs sql.js's .wasm: pass assets.sqlJsWasm (the URL of sql.js/dist/sql-wasm-browser.wasm)");
  }
  const kept = keptFile(options.name ?? 'feast-edge/online_store.db', options.keepIn);
  try {
    const given = options.file instanceof Blob ? new Uint8Array(await options.file.arrayBuffer()) : options.file;
    const data = given ?? (await kept.read());
    const sqlJs = await loadSqlJs(options.sqlJsWasm);
    // Checked before it replaces the kept copy: a file that is not SQLite leaves the old one.
    const store = new KeptFeastSqliteOnlineStore({ sqlJs, data, json: options.json, persist: (bytes) => kept.write(bytes) }, kept);
    if (given)
      await kept.write(given).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
    return { store, keptIn: kept.keptIn, from: given ? 'file' : data ? 'kept' : 'new' };
  } catch (error) {
    kept.close();
    throw error;
  }
}
