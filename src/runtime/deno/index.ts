/** feast-edge/deno: the Deno KV online store and the feature server on the deno binary. */
export { DenoKvOnlineStore, type DenoKvLike, type DenoKvAtomic, type DenoKvKey } from './deno-kv-online-store.js';
export { serveDeno } from './serve-deno.js';
