import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { FeastSqliteOnlineStore, type FeastSqliteOnlineStoreOptions } from '../../../feast/sqlite-online-store.js';

let sqlJs: Promise<SqlJsStatic> | undefined;

/** sql.js with its WASM read from node_modules (resolved, so a bundled caller finds it too); loaded once per process. */
export function loadSqlJs(): Promise<SqlJsStatic> {
  if (!sqlJs) {
    const wasm = createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm');
    sqlJs = initSqlJs({ locateFile: () => wasm });
    sqlJs.catch(() => {
      sqlJs = undefined;
    });
  }
  return sqlJs;
}

let temporaries = 0;

/** Replaces `path` whole or not at all: a temp file beside it, flushed to disk, then renamed over it. */
export async function writeFileAtomically(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${++temporaries}.tmp`;
  try {
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Feast's SQLite online store file (`data/online_store.db`) as a FeastSqliteOnlineStore:
 * the file is read into memory when it exists (a new database when it does not) and
 * written back atomically after every change. One process at a time: two processes
 * writing the same file would each save their own copy over the other's.
 * @example const store = await openFeastSqliteOnlineStore('feature_repo/data/online_store.db');
 */
export async function openFeastSqliteOnlineStore(path: string, options: Pick<FeastSqliteOnlineStoreOptions, 'json'> = {}): Promise<FeastSqliteOnlineStore> {
  let data: Uint8Array | null = null;
  try {
    data = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return new FeastSqliteOnlineStore({ ...options, sqlJs: await loadSqlJs(), data, persist: (bytes) => writeFileAtomically(path, bytes) });
}
