import { openDB } from 'idb';
import { ConfigurationError } from '../../errors.js';

/** Where a browser keeps a file between visits: the origin private file system, or IndexedDB. */
export type KeepIn = 'opfs' | 'indexeddb';

/** One file's bytes, kept by name across reloads. */
export interface KeptFile {
  readonly keptIn: KeepIn;
  /** The kept bytes, or undefined when nothing was kept under this name yet. */
  read(): Promise<Uint8Array | undefined>;
  /** Replaces the kept bytes whole (a Blob, such as a picked File, is streamed into OPFS, not read into memory first). */
  write(bytes: Uint8Array | Blob): Promise<void>;
  /** Deletes what is kept under this name (nothing kept is not an error). */
  remove(): Promise<void>;
  /** Lets go of what it holds open (the IndexedDB connection). */
  close(): void;
}

const FILES_DATABASE = 'feast-edge-files';
const FILES = 'files';

/** OPFS where the browser has it (and can write files from this context), else IndexedDB. */
export function defaultKeepIn(): KeepIn {
  const storage = (globalThis.navigator as Navigator | undefined)?.storage;
  return typeof storage?.getDirectory === 'function' && typeof FileSystemFileHandle !== 'undefined' && 'createWritable' in FileSystemFileHandle.prototype
    ? 'opfs'
    : 'indexeddb';
}

/**
 * A file kept under `name` ('feast-edge/online_store.db') in OPFS or in IndexedDB
 * (database 'feast-edge-files'). An OPFS write goes through a writable stream, which the
 * browser swaps in whole when it closes: a reload never sees half a file.
 * @example const kept = keptFile('feast-edge/online_store.db'); await kept.write(bytes);
 */
export function keptFile(name: string, keepIn: KeepIn = defaultKeepIn()): KeptFile {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..'))
    throw new ConfigurationError(`kept file name '${name}': expected a path such as 'feast-edge/online_store.db'`);
  return keepIn === 'opfs' ? opfsFile(parts) : indexedDbFile(parts.join('/'));
}

function opfsFile(parts: readonly string[]): KeptFile {
  const handle = async (create: boolean) => {
    let directory = await navigator.storage.getDirectory();
    for (const part of parts.slice(0, -1)) directory = await directory.getDirectoryHandle(part, { create });
    return directory.getFileHandle(parts[parts.length - 1], { create });
  };
  return {
    keptIn: 'opfs',
    async read() {
      try {
        return new Uint8Array(await (await (await handle(false)).getFile()).arrayBuffer());
      } catch (error) {
        if ((error as { name?: string }).name === 'NotFoundError') return undefined;
        throw error;
      }
    },
    async write(bytes) {
      const writable = await (await handle(true)).createWritable();
      try {
        await writable.write(bytes as Uint8Array<ArrayBuffer> | Blob);
        await writable.close();
      } catch (error) {
        await writable.abort().catch(() => undefined);
        throw error;
      }
    },
    async remove() {
      let directory = await navigator.storage.getDirectory();
      try {
        for (const part of parts.slice(0, -1)) directory = await directory.getDirectoryHandle(part);
        await directory.removeEntry(parts[parts.length - 1]);
      } catch (error) {
        if ((error as { name?: string }).name !== 'NotFoundError') throw error;
      }
    },
    close() {},
  };
}

function indexedDbFile(key: string): KeptFile {
  let db: ReturnType<typeof openDB> | undefined;
  const database = () =>
    (db ??= openDB(FILES_DATABASE, 1, {
      upgrade(database) {
        database.createObjectStore(FILES);
      },
    }));
  return {
    keptIn: 'indexeddb',
    async read() {
      const value = (await (await database()).get(FILES, key)) as Uint8Array | Blob | undefined;
      if (value === undefined) return undefined;
      return value instanceof Blob ? new Uint8Array(await value.arrayBuffer()) : new Uint8Array(value);
    },
    async write(bytes) {
      // IndexedDB keeps a Blob as it is; read() turns it back into bytes.
      await (await database()).put(FILES, bytes, key);
    },
    async remove() {
      await (await database()).delete(FILES, key);
    },
    close() {
      const open = db;
      db = undefined;
      void open?.then((d) => d.close()).catch(() => undefined);
    },
  };
}
