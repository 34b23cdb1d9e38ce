import { createClient, createCluster, defineScript, RESP_TYPES, type CommandParser, type RedisArgument } from 'redis';
import { InvalidOnlineStoreConfig, OnlineStoreConnectionError } from '../../../errors.js';
import { entityKeyToString } from '../../../online/entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../../online/online-store.js';
import { decodeOnlineRow, encodeOnlineRow } from '../../../online/row-codec.js';

/** Where the rows live: one server, or a Redis Cluster found from a few of its nodes. */
export type RedisTarget =
  /** `redis://[[user]:password@]host:port[/db]`; `rediss://` for TLS. */
  | { readonly url: string }
  /** Root nodes as `host:port` (or `redis://host:port`); the rest of the cluster is discovered. */
  | { readonly clusterNodes: readonly string[]; readonly username?: string; readonly password?: string; readonly tls?: boolean };

export type RedisOnlineStoreOptions = RedisTarget & {
  /** Put before every key, to share one Redis between repos or apps. Default: none. */
  readonly keyPrefix?: string;
  /** Feast's `key_ttl_seconds`: a written row expires this long after its last write. Default: never. */
  readonly keyTtlSeconds?: number;
  /** How long to wait for the first connection before failing. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** How long one pipelined round of commands may wait for replies before the connection is dropped. Default 10000 ms. */
  readonly commandTimeoutMs?: number;
};

/*
 * One hash per (project, view, entity key). `v` holds the row-codec bytes (the same
 * MessagePack as the KV stores, self-describing with its event and created times), so a
 * read is one HGET. The fields `eh el ch cl` hold (event, created) as 32-bit halves of
 * the value offset by 2^63: Lua numbers are doubles, exact only to 2^53, so the halves
 * let the script compare 64-bit microseconds exactly without decoding MessagePack.
 * A null created time is (-1, 0), below every real one: Feast's "null created is oldest".
 * The compare and the set run in one script on one key, so they are atomic per key and
 * the script never touches a second key: fine on any cluster slot.
 */
const WRITE_IF_NOT_OLDER = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `
local stored = redis.call('HMGET', KEYS[1], 'eh', 'el', 'ch', 'cl')
if stored[1] then
  for i = 1, 4 do
    local new, old = tonumber(ARGV[i]), tonumber(stored[i])
    if new ~= old then
      if new < old then return 0 end
      break
    end
  end
end
redis.call('HSET', KEYS[1], 'eh', ARGV[1], 'el', ARGV[2], 'ch', ARGV[3], 'cl', ARGV[4], 'v', ARGV[5])
if ARGV[6] ~= '0' then redis.call('EXPIRE', KEYS[1], ARGV[6]) end
return 1`,
  parseCommand(parser: CommandParser, key: RedisArgument, order: readonly string[], payload: Buffer, ttl: string) {
    parser.pushKey(key);
    parser.push(...order, payload, ttl);
  },
  // The script returns 1 (written) or 0 (older, skipped) as is.
  transformReply: undefined as unknown as () => number,
});

const SCRIPTS = { writeIfNotOlder: WRITE_IF_NOT_OLDER };
const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer };
/** Commands in flight per await: node-redis pipelines a tick's commands; this bounds the memory of a huge batch. */
const CHUNK = 5000;
/*
 * node-redis gives every command its own 5 s timeout (an AbortSignal each), which costs
 * about 4x the throughput of a pipelined batch. The store turns that off and bounds each
 * round of CHUNK commands instead (commandTimeoutMs): one timer, same protection.
 */
const NO_COMMAND_TIMEOUT = { timeout: undefined };
/** Reconnect attempts after a connection that worked is lost, before queued commands fail. */
const RECONNECT_ATTEMPTS = 20;
const OFFSET = 2n ** 63n;

function halves(value: bigint): [string, string] {
  const n = Number(value);
  if (Number.isSafeInteger(n)) {
    // Safe integers split exactly in doubles: no BigInt arithmetic for every real timestamp.
    const high = Math.floor(n / 4_294_967_296);
    return [String(high + 2_147_483_648), String(n - high * 4_294_967_296)];
  }
  const unsigned = value + OFFSET;
  return [String(unsigned >> 32n), String(unsigned & 0xffff_ffffn)];
}

function orderArgs(event: bigint, created: bigint | null): string[] {
  return [...halves(event), ...(created === null ? ['-1', '0'] : halves(created))];
}

/** MATCH treats * ? [ ] \ as pattern syntax; a key prefix must match itself. */
const escapeGlob = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/** The few commands the store needs, the same for one server and for a cluster. */
interface Connection {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  hGetPayload(key: string): Promise<Buffer | null>;
  writeIfNotOlder(key: string, order: readonly string[], payload: Buffer, ttl: string): Promise<number>;
  unlink(key: string): Promise<number>;
  /** SCAN on every master: keys live on the node that owns their slot. */
  scan(match: string): AsyncIterable<string[]>;
  destroy(): void;
  close(): Promise<void>;
}

/**
 * The online store in Redis, for serving from more than one machine. Keys are
 * `<keyPrefix><project>:<view>:<hex entity key>`, one hash each (see WRITE_IF_NOT_OLDER).
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
  readonly #prefix: string;
  readonly #ttl: string;
  #connection?: Promise<Connection>;
  #lastError?: Error;

  constructor(options: RedisOnlineStoreOptions) {
    const ttl = options.keyTtlSeconds ?? 0;
    if (!Number.isInteger(ttl) || ttl < 0) throw new InvalidOnlineStoreConfig(`redis keyTtlSeconds: expected a whole number of seconds >= 0, got ${ttl}`);
    this.#options = options;
    this.#prefix = options.keyPrefix ?? '';
    this.#ttl = String(ttl);
    this.address = 'url' in options ? describeUrl(options.url) : options.clusterNodes.map(describeNode).join(',');
  }

  #key(project: string, view: string, key: Uint8Array): string {
    // Project and view names cannot contain ':', so one view's keys never match another's prefix.
    return `${this.#prefix}${project}:${view}:${entityKeyToString(key)}`;
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
        .map((row) => connection.writeIfNotOlder(row.redisKey, row.order, row.payload, this.#ttl))));
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
    const match = `${escapeGlob(`${this.#prefix}${project}:${view}:`)}*`;
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
    const timeout = this.#options.connectTimeoutMs ?? 5000;
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
      throw new OnlineStoreConnectionError(`cannot connect to Redis at ${this.address}: ${cause}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One round of commands, bounded: a server that stops answering drops the connection (the next call reconnects). */
  async #run<T>(operation: string, connection: Connection, round: () => Promise<T>): Promise<T> {
    const limit = this.#options.commandTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([round(), new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          connection.destroy();
          reject(new Error(`no reply within ${limit} ms; the connection was dropped`));
        }, limit);
      })]);
    } catch (error) {
      throw new OnlineStoreConnectionError(`Redis at ${this.address}: ${operation} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The URL as host:port/db with the scheme and without credentials. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || 6379}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
  } catch {
    throw new InvalidOnlineStoreConfig(`redis url: expected redis://host:port[/db] or rediss://..., got ${JSON.stringify(url)}`);
  }
}

function describeNode(node: string): string {
  return node.includes('://') ? describeUrl(node) : node;
}

type SocketDefaults = { connectTimeout: number; reconnectStrategy: (retries: number, cause: Error) => number | Error };

function connectionFor(options: RedisOnlineStoreOptions, socket: SocketDefaults, onError: (error: Error) => void): Connection & { connect(): Promise<unknown> } {
  if ('url' in options) {
    const client = createClient({ url: options.url, socket, scripts: SCRIPTS, commandOptions: NO_COMMAND_TIMEOUT });
    // Without a listener an 'error' event (a refused or dropped connection) would crash the process.
    client.on('error', onError);
    const buffers = client.withTypeMapping(BUFFERS);
    return {
      get isOpen() { return client.isOpen; },
      get isReady() { return client.isReady; },
      connect: () => client.connect(),
      hGetPayload: (key) => buffers.hGet(key, 'v'),
      writeIfNotOlder: (key, order, payload, ttl) => client.writeIfNotOlder(key, order, payload, ttl),
      unlink: (key) => client.unlink(key),
      scan: (match) => client.scanIterator({ MATCH: match, COUNT: 1000 }),
      destroy: () => client.destroy(),
      close: () => client.close(),
    };
  }
  const tls = options.tls || options.clusterNodes.some((node) => node.startsWith('rediss://'));
  const cluster = createCluster({
    rootNodes: options.clusterNodes.map((node) => ({ url: node.includes('://') ? node : `${tls ? 'rediss' : 'redis'}://${node}` })),
    // Discovered nodes get only these defaults, not the root nodes' settings: credentials and TLS go here.
    defaults: { username: options.username, password: options.password, socket: tls ? { ...socket, tls: true } : socket },
    commandOptions: NO_COMMAND_TIMEOUT,
    scripts: SCRIPTS,
  });
  cluster.on('error', onError);
  const buffers = cluster.withTypeMapping(BUFFERS);
  return {
    get isOpen() { return cluster.isOpen; },
    get isReady() { return cluster.isReady; },
    connect: () => cluster.connect(),
    hGetPayload: (key) => buffers.hGet(key, 'v'),
    writeIfNotOlder: (key, order, payload, ttl) => cluster.writeIfNotOlder(key, order, payload, ttl),
    unlink: (key) => cluster.unlink(key),
    async *scan(match) {
      for (const master of cluster.masters) {
        const client = await cluster.nodeClient(master);
        yield* client.scanIterator({ MATCH: match, COUNT: 1000 });
      }
    },
    destroy: () => cluster.destroy(),
    close: () => cluster.close(),
  };
}
