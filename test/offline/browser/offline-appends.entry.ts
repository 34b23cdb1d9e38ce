import { fileSource } from '../../../src/definitions/index.js';
import { IndexedDbOfflineAppends } from '../../../src/runtime/browser/indexeddb/indexeddb-offline-appends.js';

/** What the Node test calls inside the page: append parts and list them back as plain arrays. */
const sources = { a: fileSource({ name: 'a', path: 'a.parquet' }), b: fileSource({ name: 'b', path: 'b.parquet' }) };
let storage: IndexedDbOfflineAppends | undefined;
const open = async () => (storage ??= await IndexedDbOfflineAppends.open('offline-appends-test'));

Object.assign(globalThis, {
  async append(source: 'a' | 'b', bytes: number[]) {
    await (await open()).append(sources[source], Uint8Array.from(bytes));
  },
  async parts(source: 'a' | 'b') {
    return (await (await open()).parts(sources[source])).map((part) => ('bytes' in part ? [...part.bytes] : part.path));
  },
  async clear(source: 'a' | 'b') {
    await (await open()).clear(sources[source]);
  },
});
