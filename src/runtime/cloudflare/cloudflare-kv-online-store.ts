import { InvalidOnlineWriteError } from '../../errors.js';
import { entityKeyToString } from '../../online/entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../online/online-store.js';
import { decodeOnlineRow, encodeOnlineRow, type StoredOnlineRow } from '../../online/row-codec.js';

/**
 * The part of a Workers KV namespace binding (`KVNamespace`) this store uses, declared
 * here so the core needs no `@cloudflare/workers-types`. A real binding satisfies it.
 */
export interface KvNamespaceBinding {
  /** Bulk get (at most 100 keys); Workers KV answers bulk gets as text or json only. */
  get(keys: string[], options: { type: 'text' }): Promise<Map<string, string | null>>;
  put(key: string, value: string): Promise<unknown>;
  delete(key: string): Promise<unknown>;
  list(options: { prefix: string; cursor?: string }): Promise<{ keys: { name: string }[]; list_complete: boolean; cursor?: string }>;
}

/** Workers KV limits (vendor docs; miniflare enforces the first two). */
const BULK_GET_KEYS = 100;
const MAX_KEY_BYTES = 512;
const MAX_VALUE_BYTES = 25 * 1024 * 1024;
/** Puts in flight at once: a Worker may hold only a few subrequests open; more just queue. */
const PUT_CONCURRENCY = 50;
const utf8 = new TextEncoder();

/**
 * The online store in Cloudflare Workers KV, for serving at the edge. Keys are
 * `project/view/hex(entity key)`; a value is the row as MessagePack in base64 text,
 * because only text and json values can be fetched 100 keys per bulk get.
 *
 * KV has no transactions, so the event-time rule is read-compare-put: within one batch
 * it holds exactly (duplicate keys are folded, one put per key), but two writers racing
 * on the same key are last-writer-wins, and a batch is not atomic (readers may see part
 * of it). KV is eventually consistent: other locations may read a value up to about
 * 60 s old, and one key takes about one write per second. Write from one place
 * (materialization) and read everywhere. A Worker invocation may make about 1,000 KV
 * operations (vendor docs): a write costs one bulk get per 100 keys and one put per
 * written key, and deleteView one list per 1,000 keys and one delete per key.
 *
 * @example
 * ```ts
 * export default {
 *   async fetch(request: Request, env: { FEAST_ONLINE: KVNamespace }) {
 *     const store = new CloudflareKvOnlineStore(env.FEAST_ONLINE);
 *     const rows = await store.read('driver_ranking', 'driver_hourly_stats', keys, ['conv_rate']);
 *   },
 * };
 * ```
 */
export class CloudflareKvOnlineStore implements OnlineStore {
  readonly name = 'cloudflare-kv';
  readonly #kv: KvNamespaceBinding;

  constructor(kv: KvNamespaceBinding) {
    this.#kv = kv;
  }

  /** Names are limited to [A-Za-z0-9_.-], so '/' cannot occur in them and prefixes never overlap. */
  static #prefix(project: string, view: string): string {
    return `${project}/${view}/`;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const prefix = CloudflareKvOnlineStore.#prefix(project, batch.view);
    const keys = batch.keys.map((k) => prefix + entityKeyToString(k));
    keys.forEach((key, i) => {
      const bytes = utf8.encode(key).length;
      if (bytes > MAX_KEY_BYTES) throw invalid(batch.view, `keys[${i}]: the KV key is ${bytes} bytes, over Workers KV's ${MAX_KEY_BYTES}`);
    });
    const stored = await this.#getMany([...new Set(keys)]);
    // Fold duplicate keys in batch order, as sequential writes would, so each key gets one put.
    const winners = new Map<string, number>();
    let written = 0;
    keys.forEach((key, i) => {
      const event = batch.eventTimestamps[i];
      const created = batch.createdTimestamps?.[i] ?? null;
      const w = winners.get(key);
      const current = w === undefined ? stored.get(key) : { event: batch.eventTimestamps[w], created: batch.createdTimestamps?.[w] ?? null };
      if (current && !isNotOlder(event, created, current.event, current.created)) return;
      winners.set(key, i);
      written++;
    });
    // Encode every row before the first put, so a value that cannot be stored refuses the whole batch.
    const names = Object.keys(batch.features);
    const puts: [string, string][] = [];
    for (const [key, i] of winners) {
      const values: Record<string, unknown> = {};
      for (const name of names) values[name] = batch.features[name][i] ?? null;
      const text = toBase64(encodeOnlineRow({ event: batch.eventTimestamps[i], created: batch.createdTimestamps?.[i] ?? null, values }));
      if (text.length > MAX_VALUE_BYTES) throw invalid(batch.view, `keys[${i}]: the row is ${text.length} bytes, over Workers KV's ${MAX_VALUE_BYTES}`);
      puts.push([key, text]);
    }
    for (let start = 0; start < puts.length; start += PUT_CONCURRENCY) {
      await Promise.all(puts.slice(start, start + PUT_CONCURRENCY).map(([key, text]) => this.#kv.put(key, text)));
    }
    return { written, skipped: batch.keys.length - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const prefix = CloudflareKvOnlineStore.#prefix(project, view);
    const names = keys.map((k) => prefix + entityKeyToString(k));
    const rows = await this.#getMany([...new Set(names)]);
    const found = names.map((name) => rows.get(name));
    const values: Record<string, unknown[]> = {};
    for (const f of features) values[f] = found.map((row) => (row ? (row.values[f] ?? null) : null));
    return { eventTimestamps: found.map((row) => (row ? row.event : null)), values };
  }

  /** Lists the view's keys, then deletes them one by one: the Workers binding has no bulk delete. */
  async deleteView(project: string, view: string): Promise<void> {
    const prefix = CloudflareKvOnlineStore.#prefix(project, view);
    const names: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await this.#kv.list(cursor === undefined ? { prefix } : { prefix, cursor });
      for (const k of page.keys) names.push(k.name);
      if (page.list_complete || !page.cursor) break;
      cursor = page.cursor;
    }
    for (let start = 0; start < names.length; start += PUT_CONCURRENCY) {
      await Promise.all(names.slice(start, start + PUT_CONCURRENCY).map((name) => this.#kv.delete(name)));
    }
  }

  /** The binding belongs to the Worker's runtime; there is nothing to release. */
  async close(): Promise<void> {}

  /** Distinct keys in, stored rows out: one bulk get per 100 keys, all in flight together. */
  async #getMany(keys: readonly string[]): Promise<Map<string, StoredOnlineRow>> {
    const chunks: string[][] = [];
    for (let start = 0; start < keys.length; start += BULK_GET_KEYS) chunks.push(keys.slice(start, start + BULK_GET_KEYS));
    const answers = await Promise.all(chunks.map((chunk) => this.#kv.get(chunk, { type: 'text' })));
    const rows = new Map<string, StoredOnlineRow>();
    for (const answer of answers) {
      for (const [key, text] of answer) if (text !== null) rows.set(key, decodeOnlineRow(fromBase64(text)));
    }
    return rows;
  }
}

function invalid(view: string, what: string): InvalidOnlineWriteError {
  return new InvalidOnlineWriteError(`write to '${view}': ${what}`);
}

/** btoa and atob exist in workerd, Deno, browsers and Node; they take binary strings, built here in slices. */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
