import { InvalidOnlineWriteError, OnlineWriteConflictError } from '../../errors.js';
import { entityKeyToString } from '../../online/entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../online/online-store.js';
import { decodeOnlineRow, encodeOnlineRow } from '../../online/row-codec.js';

/** A Deno KV key: the parts this store uses. */
export type DenoKvKey = readonly (string | Uint8Array)[];

/**
 * The part of `Deno.Kv` this store uses, declared here so the core type-checks without
 * Deno's types. `await Deno.openKv(path)` satisfies it.
 */
export interface DenoKvLike {
  getMany(keys: readonly DenoKvKey[]): Promise<readonly { value: unknown; versionstamp: string | null }[]>;
  list(selector: { prefix: DenoKvKey }): AsyncIterable<{ key: readonly unknown[] }>;
  atomic(): DenoKvAtomic;
  close(): void;
}

export interface DenoKvAtomic {
  check(...checks: { key: DenoKvKey; versionstamp: string | null }[]): DenoKvAtomic;
  set(key: DenoKvKey, value: unknown): DenoKvAtomic;
  delete(key: DenoKvKey): DenoKvAtomic;
  commit(): Promise<{ ok: boolean }>;
}

/** Deno KV limits (checked against deno 2.9): keys per getMany, checks and mutations per atomic op, sizes. */
const GET_MANY_KEYS = 10;
const ATOMIC_CHECKS = 100;
const ATOMIC_MUTATIONS = 1000;
const ATOMIC_BYTES = 800 * 1024;
const MAX_KEY_BYTES = 2048;
const MAX_VALUE_BYTES = 65536;
/** Retries when another writer changed a key between our read and commit, or held the file's lock. */
const MAX_ATTEMPTS = 30;
const ROOT = 'feast-edge';
const utf8 = new TextEncoder();

/** The newest row of one key in a batch, encoded, with the indices of all the batch's rows of that key. */
interface Pending {
  key: DenoKvKey;
  event: bigint;
  created: bigint | null;
  value: Uint8Array;
  size: number;
  rows: number[];
}

/**
 * The online store in Deno KV (a SQLite file locally, FoundationDB on Deno Deploy). Keys
 * are `['feast-edge', project, view, entity key bytes]`; a value is the row as
 * MessagePack bytes, the same codec as Cloudflare KV, so every row can be encoded and
 * size-checked before the first commit.
 *
 * The event-time rule is a compare-and-set: rows are read, compared, and written by an
 * atomic operation that checks each written key's versionstamp, retried on conflict, so
 * an older event never overwrites a newer one even with concurrent writers. Atomicity
 * holds per chunk of at most 100 keys (Deno KV allows 100 checks and 800 KiB per atomic
 * operation); a larger batch commits chunk by chunk, and readers may see part of it.
 * Processes sharing one local KV file contend for SQLite's write lock; a busy commit is
 * retried with backoff. The store owns the handle: `close()` closes it.
 *
 * @example
 * ```ts
 * const kv = await Deno.openKv('./online.kv'); // deno run --unstable-kv
 * const store = new DenoKvOnlineStore(kv);
 * ```
 */
export class DenoKvOnlineStore implements OnlineStore {
  readonly name = 'deno-kv';
  readonly #kv: DenoKvLike;

  constructor(kv: DenoKvLike) {
    this.#kv = kv;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    const names = Object.keys(batch.features);
    // Fold duplicate keys to the newest row first; batch order breaks full ties, as sequential writes would.
    const newest = new Map<string, number>();
    const rowsOf = new Map<string, number[]>();
    batch.keys.forEach((key, i) => {
      const id = entityKeyToString(key);
      const w = newest.get(id);
      const rows = rowsOf.get(id);
      if (rows) rows.push(i);
      else rowsOf.set(id, [i]);
      if (w === undefined || isNotOlder(batch.eventTimestamps[i], created(batch, i), batch.eventTimestamps[w], created(batch, w))) newest.set(id, i);
    });
    // Encode and size-check every row before the first commit, so a row Deno KV would refuse refuses the whole batch.
    const pending: Pending[] = [];
    for (const [id, i] of newest) {
      const key: DenoKvKey = [ROOT, project, batch.view, batch.keys[i]];
      const keyBytes = encodedKeySize(key);
      if (keyBytes > MAX_KEY_BYTES) throw invalid(batch.view, `keys[${i}]: the Deno KV key is ${keyBytes} bytes, over ${MAX_KEY_BYTES}`);
      const values: Record<string, unknown> = {};
      for (const name of names) values[name] = batch.features[name][i] ?? null;
      const value = encodeOnlineRow({ event: batch.eventTimestamps[i], created: created(batch, i), values });
      if (value.length > MAX_VALUE_BYTES) throw invalid(batch.view, `keys[${i}]: the row is ${value.length} bytes, over Deno KV's ${MAX_VALUE_BYTES}`);
      pending.push({ key, event: batch.eventTimestamps[i], created: created(batch, i), value, size: keyBytes + value.length, rows: rowsOf.get(id)! });
    }
    let written = 0;
    for (const chunk of chunks(pending)) written += await this.#commitNewer(chunk, batch);
    return { written, skipped: batch.keys.length - written };
  }

  /**
   * One atomic operation over distinct keys: each row is set only if not older than the
   * stored one, and only if that stored row is still the one compared against. Returns the
   * number of batch rows a sequential writer would count as written.
   */
  async #commitNewer(chunk: readonly Pending[], batch: OnlineWriteBatch): Promise<number> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) await backoff(attempt);
      const stored = await this.#getMany(chunk.map((p) => p.key));
      let op = this.#kv.atomic();
      let written = 0;
      chunk.forEach((p, j) => {
        const row = stored[j].value instanceof Uint8Array ? decodeOnlineRow(stored[j].value) : undefined;
        if (row && !isNotOlder(p.event, p.created, row.event, row.created)) return;
        op = op.check({ key: p.key, versionstamp: stored[j].versionstamp }).set(p.key, p.value);
        written += countWritten(batch, p, row);
      });
      if (written === 0) return 0;
      if (await commitUnlocked(op)) return written;
    }
    throw new OnlineWriteConflictError(`write to '${batch.view}': other writers kept changing the same keys; gave up after ${MAX_ATTEMPTS} attempts`);
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const entries = await this.#getMany(keys.map((k) => [ROOT, project, view, k]));
    const rows = entries.map((e) => (e.value instanceof Uint8Array ? decodeOnlineRow(e.value) : undefined));
    const values: Record<string, unknown[]> = {};
    for (const f of features) values[f] = rows.map((row) => (row ? (row.values[f] ?? null) : null));
    return { eventTimestamps: rows.map((row) => (row ? row.event : null)), values };
  }

  /** Lists the view's keys, then deletes them in atomic chunks (the list is a snapshot per page, not one transaction). */
  async deleteView(project: string, view: string): Promise<void> {
    const keys: DenoKvKey[] = [];
    for await (const entry of this.#kv.list({ prefix: [ROOT, project, view] })) keys.push(entry.key as DenoKvKey);
    let op = this.#kv.atomic();
    let count = 0;
    let bytes = 0;
    for (const key of keys) {
      const size = encodedKeySize(key);
      if (count === ATOMIC_MUTATIONS || bytes + size > ATOMIC_BYTES) {
        await commitUnlocked(op);
        op = this.#kv.atomic();
        count = 0;
        bytes = 0;
      }
      op = op.delete(key);
      count++;
      bytes += size;
    }
    if (count > 0) await commitUnlocked(op);
  }

  async close(): Promise<void> {
    this.#kv.close();
  }

  /** getMany takes at most 10 keys: the slices go out together and come back in order. */
  async #getMany(keys: readonly DenoKvKey[]): Promise<{ value: unknown; versionstamp: string | null }[]> {
    const slices: DenoKvKey[][] = [];
    for (let start = 0; start < keys.length; start += GET_MANY_KEYS) slices.push(keys.slice(start, start + GET_MANY_KEYS));
    return (await Promise.all(slices.map((slice) => this.#kv.getMany(slice)))).flat();
  }
}

/**
 * Commits, retrying while another process holds a local KV file's write lock: deno
 * reports SQLite's busy error then, and nothing was written.
 */
async function commitUnlocked(op: DenoKvAtomic): Promise<boolean> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await op.commit()).ok;
    } catch (error) {
      if (!(error instanceof Error && /database is locked/.test(error.message)) || attempt >= MAX_ATTEMPTS) throw error;
      await backoff(attempt + 1);
    }
  }
}

/** Backs off a little more on each retry, with jitter so two colliding writers drift apart. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.min(100, 2 ** attempt) * (0.5 + Math.random());
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function created(batch: OnlineWriteBatch, i: number): bigint | null {
  return batch.createdTimestamps?.[i] ?? null;
}

/**
 * Rows of this key a sequential writer would have written: walking the batch's rows of the
 * key in order from the stored row, each not older than the current one replaces it.
 */
function countWritten(batch: OnlineWriteBatch, p: Pending, stored: { event: bigint; created: bigint | null } | undefined): number {
  let current = stored;
  let count = 0;
  for (const i of p.rows) {
    const row = { event: batch.eventTimestamps[i], created: created(batch, i) };
    if (current && !isNotOlder(row.event, row.created, current.event, current.created)) continue;
    current = row;
    count++;
  }
  return count;
}

/** Chunks that fit one atomic operation: at most 100 checks and 800 KiB of keys and values. */
function* chunks(pending: readonly Pending[]): Generator<Pending[]> {
  let chunk: Pending[] = [];
  let bytes = 0;
  for (const p of pending) {
    if (chunk.length === ATOMIC_CHECKS || (chunk.length > 0 && bytes + p.size > ATOMIC_BYTES)) {
      yield chunk;
      chunk = [];
      bytes = 0;
    }
    chunk.push(p);
    bytes += p.size;
  }
  if (chunk.length > 0) yield chunk;
}

/** Deno KV's key encoding: per part a type byte, the bytes with each 0x00 escaped as 0x00 0xFF, and a 0x00 end. */
function encodedKeySize(key: DenoKvKey): number {
  let size = 0;
  for (const part of key) {
    const bytes = typeof part === 'string' ? utf8.encode(part) : part;
    size += 2 + bytes.length;
    for (const b of bytes) if (b === 0) size++;
  }
  return size;
}

function invalid(view: string, what: string): InvalidOnlineWriteError {
  return new InvalidOnlineWriteError(`write to '${view}': ${what}`);
}
