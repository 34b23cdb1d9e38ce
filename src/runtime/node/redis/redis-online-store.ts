import { FeastEdgeError } from '../../../errors.js';
import { entityKeyToString } from '../../../online/entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../../online/online-store.js';
import { decodeOnlineRow, encodeOnlineRow } from '../../../online/row-codec.js';
import { redisSettings, type RedisOnlineStoreOptions, type RedisSettings } from './config.js';
import { connectionFor, type Connection } from './connection.js';
import { orderArgs } from './write-script.js';

export type { RedisOnlineStoreOptions, RedisTarget } from './config.js';

/** Commands in flight per await: node-redis pipelines a tick's commands; this bounds the memory of a huge batch. */
const CHUNK = 5000;
/** Reconnect attempts after a connection that worked is lost, before queued commands fail. */
const RECONNECT_ATTEMPTS = 20;

/** MATCH treats * ? [ ] \ as pattern syntax; a key prefix must match itself. */
const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * The online store in Redis, for serving from more than one machine. Keys are
 * `<keyPrefix><project>:<view>:<hex entity key>`, one hash each (see write-script.ts).
 * Every command names one key, so the store runs unchanged on Redis Cluster: reads are
 * concurrent HGETs (node-redis pipelines what one tick sends, per node), writes a
 * single-key Lua script each. A batch is therefore atomic per key, not as a whole: a
 * connection lost mid-batch can leave some keys written, and writing the batch again is
 * safe because the event-time rule makes it idempotent.
 * Connects on first use; an unreachable server is an OnlineStoreConnectionError naming it.
 * @example const store = new RedisOnlineStore({ url: 'redis://localhost:6379/0', keyTtlSeconds: 86_400 });
 */
export class RedisOnlineStore implements OnlineStore {
  readonly name = 'redis';
  /** The server or root nodes, without credentials: what error messages name. */
  readonly address: string;
  readonly #options: RedisOnlineStoreOptions;
  readonly #settings: RedisSettings;
  #connection?: Promise<Connection>;
  #lastError?: Error;

  constructor(options: RedisOnlineStoreOptions) {
    this.#settings = redisSettings(options);
    this.#options = options;
    this.address = this.#settings.address;
  }

  #key(project: string, view: string, key: Uint8Array): string {
    // Project and view names cannot contain ':', so one view's keys never match another's prefix.
    return `${this.#settings.keyPrefix}${project}:${view}:${entityKeyToString(key)}`;
  }

  async write(project: string, batch: OnlineWriteBatch): Promise<{ written: number; skipped: number }> {
    assertValidBatch(batch);
    // One script call per key: duplicates in the batch go in as their newest row only,
    // since concurrent calls on one key could otherwise land in any order.
    const newest = new Map<string, number>();
    batch.keys.forEach((key, i) => {
      const redisKey = this.#key(project, batch.view, key);
      const best = newest.get(redisKey);
      const created = batch.createdTimestamps?.[i] ?? null;
      if (best === undefined || isNotOlder(batch.eventTimestamps[i], created, batch.eventTimestamps[best], batch.createdTimestamps?.[best] ?? null)) {
        newest.set(redisKey, i);
      }
    });
    const names = Object.keys(batch.features);
    // Everything is encoded before the first command, so a value the codec refuses writes nothing.
    const rows = [...newest].map(([redisKey, i]) => {
      const event = batch.eventTimestamps[i];
      const created = batch.createdTimestamps?.[i] ?? null;
      const values: Record<string, unknown> = {};
      for (const name of names) values[name] = batch.features[name][i] ?? null;
      return { redisKey, order: orderArgs(event, created), payload: Buffer.from(encodeOnlineRow({ event, created, values })) };
    });
    if (rows.length === 0) return { written: 0, skipped: batch.keys.length };
    const connection = await this.#connect();
    let written = 0;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const replies = await this.#run('write', connection, () => Promise.all(rows.slice(start, start + CHUNK)
        .map((row) => connection.writeIfNotOlder(row.redisKey, row.order, row.payload, this.#settings.ttl))));
      for (const reply of replies) written += Number(reply);
    }
    return { written, skipped: batch.keys.length - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const connection = await this.#connect();
    const payloads: (Buffer | null)[] = [];
    for (let start = 0; start < keys.length; start += CHUNK) {
      payloads.push(...await this.#run('read', connection, () => Promise.all(keys.slice(start, start + CHUNK)
        .map((key) => connection.hGetPayload(this.#key(project, view, key))))));
    }
    const rows = payloads.map((bytes) => (bytes ? decodeOnlineRow(bytes) : null));
    const values: Record<string, unknown[]> = {};
    for (const f of features) values[f] = rows.map((row) => (row ? (row.values[f] ?? null) : null));
    return { eventTimestamps: rows.map((row) => (row ? row.event : null)), values };
  }

  async deleteView(project: string, view: string): Promise<void> {
    const connection = await this.#connect();
    const match = `${escapeGlob(`${this.#settings.keyPrefix}${project}:${view}:`)}*`;
    const pages = connection.scan(match)[Symbol.asyncIterator]();
    for (;;) {
      const page = await this.#run('deleteView', connection, () => pages.next());
      if (page.done) break;
      // UNLINK one key per command (pipelined): a multi-key UNLINK fails across slots on a cluster.
      await this.#run('deleteView', connection, () => Promise.all(page.value.map((key) => connection.unlink(key))));
    }
  }

  async close(): Promise<void> {
    const pending = this.#connection;
    this.#connection = undefined;
    if (!pending) return;
    const connection = await pending.catch(() => undefined);
    // A connection still reconnecting is dropped, not closed: close() would wait for its queue.
    if (connection?.isReady) await connection.close();
    else if (connection?.isOpen) connection.destroy();
  }

  /** The open connection, or a new one when there is none or the last one gave up reconnecting. */
  async #connect(): Promise<Connection> {
    const current = this.#connection;
    if (current) {
      const connection = await current.catch(() => undefined);
      if (connection?.isOpen) return connection;
      if (this.#connection === current) this.#connection = undefined;
      else if (this.#connection) return this.#connect();
    }
    const attempt = this.#open();
    this.#connection = attempt;
    try {
      return await attempt;
    } catch (error) {
      if (this.#connection === attempt) this.#connection = undefined;
      throw error;
    }
  }

  async #open(): Promise<Connection> {
    const timeout = this.#settings.connectTimeoutMs;
    let ready = false;
    // Before the first connection, fail at once (a wrong address should not retry for
    // ever); after it, retry a lost connection a bounded number of times, then fail
    // the queued commands instead of holding them.
    const reconnectStrategy = (retries: number, cause: Error) =>
      (!ready || retries >= RECONNECT_ATTEMPTS ? cause : Math.min(50 * 2 ** retries, 1000));
    const connection = connectionFor(this.#options, { connectTimeout: timeout, reconnectStrategy }, (error) => { this.#lastError = error; });
    let timer: NodeJS.Timeout | undefined;
    try {
      // connectTimeout covers the TCP connect; this also bounds a peer that accepts and never answers.
      await Promise.race([connection.connect(), new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout + 1000);
      })]);
      ready = true;
      return connection;
    } catch (error) {
      connection.destroy();
      const cause = (error as Error).message || this.#lastError?.message || String(error);
      throw new FeastEdgeError('OnlineStoreConnectionError', `cannot connect to Redis at ${this.address}: ${cause}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One round of commands, bounded: a server that stops answering drops the connection (the next call reconnects). */
  async #run<T>(operation: string, connection: Connection, round: () => Promise<T>): Promise<T> {
    const limit = this.#settings.commandTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([round(), new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          connection.destroy();
          reject(new Error(`no reply within ${limit} ms; the connection was dropped`));
        }, limit);
      })]);
    } catch (error) {
      throw new FeastEdgeError('OnlineStoreConnectionError', `Redis at ${this.address}: ${operation} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
