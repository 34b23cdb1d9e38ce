import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OnlineStoreConnectionError } from '../../errors.js';
import type { OnlineReadResult, OnlineStore, OnlineWriteBatch } from '../../online/online-store.js';
import { CloudflareKvOnlineStore, type KvNamespaceBinding } from '../cloudflare/cloudflare-kv-online-store.js';

/** One pair of a `wrangler kv bulk put` file, and of the REST API's bulk write. */
export interface KvBulkPair {
  readonly key: string;
  readonly value: string;
}

/** Where the REST API writes go (Cloudflare's, or a local stand-in in tests). */
export interface KvRestTarget {
  /** Default https://api.cloudflare.com/client/v4. */
  readonly baseUrl: string;
  readonly accountId: string;
  readonly namespaceId: string;
  readonly apiToken: string;
}

/** Pairs per bulk request: the REST API takes at most 10,000 (and 100 MB). */
export const REST_BULK_PAIRS = 10_000;

/**
 * A Workers KV namespace held in memory: what the Worker's CloudflareKvOnlineStore reads
 * and writes, so materialization from Node lays keys and values out exactly as the
 * Worker reads them. It remembers the keys changed or deleted since the last flush.
 */
class MemoryKvNamespace implements KvNamespaceBinding {
  readonly entries = new Map<string, string>();
  readonly changed = new Set<string>();
  readonly deleted = new Set<string>();

  async get(keys: string[]): Promise<Map<string, string | null>> {
    return new Map(keys.map((key) => [key, this.entries.get(key) ?? null]));
  }
  async put(key: string, value: string): Promise<void> {
    this.entries.set(key, value);
    this.changed.add(key);
    this.deleted.delete(key);
  }
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
    this.changed.delete(key);
    this.deleted.add(key);
  }
  async list(options: { prefix: string }): Promise<{ keys: { name: string }[]; list_complete: boolean }> {
    return { keys: [...this.entries.keys()].filter((k) => k.startsWith(options.prefix)).map((name) => ({ name })), list_complete: true };
  }
}

/**
 * The online store `type: cloudflare_kv` from Node: materialization writes Workers KV's
 * layout (CloudflareKvOnlineStore's keys and values, the same code the Worker reads with)
 * into `bulkFile`, a `wrangler kv bulk put` file of every pair, and, with a REST target,
 * sends the pairs changed since the last flush to Cloudflare's bulk endpoint in batches
 * of 10,000. The file is the store's state: it is read back on open, so incremental runs
 * add to it and the event-time rule holds against what it holds (not against writes made
 * to the namespace from elsewhere). Flushed on close (the CLI closes after each command).
 */
export class CloudflareKvBulkStore implements OnlineStore {
  readonly name = 'cloudflare-kv-bulk';
  readonly #kv = new MemoryKvNamespace();
  readonly #store = new CloudflareKvOnlineStore(this.#kv);
  readonly #file: string;
  readonly #rest: KvRestTarget | undefined;
  #loaded: Promise<void> | undefined;

  constructor(options: { bulkFile: string; rest?: KvRestTarget }) {
    this.#file = options.bulkFile;
    this.#rest = options.rest;
  }

  /** Reads the bulk file once, before the first use. */
  #load(): Promise<void> {
    this.#loaded ??= (async () => {
      if (!existsSync(this.#file)) return;
      const pairs = JSON.parse(await readFile(this.#file, 'utf8')) as KvBulkPair[];
      for (const { key, value } of pairs) this.#kv.entries.set(key, value);
    })();
    return this.#loaded;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    await this.#load();
    return this.#store.write(project, batch);
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    await this.#load();
    return this.#store.read(project, view, keys, features);
  }

  async deleteView(project: string, view: string): Promise<void> {
    await this.#load();
    await this.#store.deleteView(project, view);
  }

  /** Writes the bulk file (atomically) and sends what changed to the REST API, when one is configured. */
  async flush(): Promise<{ pairs: number; sent: number; deleted: number }> {
    if (!this.#loaded) return { pairs: 0, sent: 0, deleted: 0 };
    await this.#load();
    const kv = this.#kv;
    if (kv.changed.size === 0 && kv.deleted.size === 0) return { pairs: kv.entries.size, sent: 0, deleted: 0 };
    await mkdir(dirname(this.#file), { recursive: true });
    const temp = `${this.#file}.${process.pid}.tmp`;
    await writeFile(temp, bulkJson(kv.entries));
    await rename(temp, this.#file);
    let sent = 0;
    let deleted = 0;
    if (this.#rest) {
      const changed = [...kv.changed].map((key) => ({ key, value: kv.entries.get(key)! }));
      sent = await sendBulk(this.#rest, changed);
      deleted = await deleteBulk(this.#rest, [...kv.deleted]);
    }
    kv.changed.clear();
    kv.deleted.clear();
    return { pairs: kv.entries.size, sent, deleted };
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

/** The pairs as `wrangler kv bulk put` reads them: a JSON array of {key, value} (values are text: base64 MessagePack). */
function bulkJson(entries: ReadonlyMap<string, string>): string {
  const parts: string[] = [];
  for (const [key, value] of entries) parts.push(JSON.stringify({ key, value }));
  return `[\n${parts.join(',\n')}\n]\n`;
}

/** One REST call; a failure names the call and Cloudflare's errors, never the token. */
async function call(rest: KvRestTarget, method: string, path: string, body: unknown): Promise<void> {
  const url = `${rest.baseUrl.replace(/\/+$/, '')}/accounts/${encodeURIComponent(rest.accountId)}/storage/kv/namespaces/${encodeURIComponent(rest.namespaceId)}${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { Authorization: `Bearer ${rest.apiToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new OnlineStoreConnectionError(`Cloudflare KV ${method} ${url}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let answer: { success?: boolean; errors?: { message?: string }[]; result?: { unsuccessful_keys?: string[] } } = {};
  try {
    answer = JSON.parse(text);
  } catch {
    // Not Cloudflare's envelope: the status and text below say what came back.
  }
  const failedKeys = answer.result?.unsuccessful_keys ?? [];
  if (!response.ok || answer.success === false || failedKeys.length > 0) {
    const why =
      answer.errors?.map((e) => e.message).join('; ') ||
      (failedKeys.length > 0 ? `${failedKeys.length} keys not written, first ${failedKeys[0]}` : text.slice(0, 200));
    throw new OnlineStoreConnectionError(`Cloudflare KV ${method} ${url}: ${response.status} ${why}`);
  }
}

/** PUT .../bulk, 10,000 pairs per request, one request at a time (the API rate-limits accounts). */
export async function sendBulk(rest: KvRestTarget, pairs: readonly KvBulkPair[]): Promise<number> {
  for (let start = 0; start < pairs.length; start += REST_BULK_PAIRS) await call(rest, 'PUT', '/bulk', pairs.slice(start, start + REST_BULK_PAIRS));
  return pairs.length;
}

/** POST .../bulk/delete, 10,000 keys per request. */
async function deleteBulk(rest: KvRestTarget, keys: readonly string[]): Promise<number> {
  for (let start = 0; start < keys.length; start += REST_BULK_PAIRS) await call(rest, 'POST', '/bulk/delete', keys.slice(start, start + REST_BULK_PAIRS));
  return keys.length;
}
