import { createClient, createCluster, defineScript, RESP_TYPES, type CommandParser, type RedisArgument } from 'redis';
import { InvalidOnlineStoreConfig } from '../../../errors.js';
import { entityKeyToString } from '../../../online/entity-key.js';
import { assertValidBatch, isNotOlder, type OnlineReadResult, type OnlineStore, type OnlineWriteBatch } from '../../../online/online-store.js';
import { decodeOnlineRow, encodeOnlineRow } from '../../../online/row-codec.js';
import { clientOptionsOf, RedisConnector, type RedisConnectionOptions, type SocketDefaults } from './redis-connection.js';

export type { RedisTarget } from './redis-connection.js';

export type RedisOnlineStoreOptions = RedisConnectionOptions & {
  /** Put before every key, to share one Redis between repos or apps. Default: none. */
  readonly keyPrefix?: string;
  /** Feast's `key_ttl_seconds`: a written row expires this long after its last write. Default: never. */
  readonly keyTtlSeconds?: number;
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
  connect(): Promise<unknown>;
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
  readonly #prefix: string;
  readonly #ttl: string;
  readonly #connector: RedisConnector<Connection>;

  constructor(options: RedisOnlineStoreOptions) {
    const ttl = options.keyTtlSeconds ?? 0;
    if (!Number.isInteger(ttl) || ttl < 0) throw new InvalidOnlineStoreConfig(`redis keyTtlSeconds: expected a whole number of seconds >= 0, got ${ttl}`);
    this.#prefix = options.keyPrefix ?? '';
    this.#ttl = String(ttl);
    this.#connector = new RedisConnector(options, (socket, onError) => connectionFor(options, socket, onError));
    this.address = this.#connector.address;
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
    const connection = await this.#connector.connection();
    let written = 0;
    for (let start = 0; start < rows.length; start += CHUNK) {
      const replies = await this.#connector.run('write', connection, () =>
        Promise.all(rows.slice(start, start + CHUNK).map((row) => connection.writeIfNotOlder(row.redisKey, row.order, row.payload, this.#ttl))),
      );
      for (const reply of replies) written += Number(reply);
    }
    return { written, skipped: batch.keys.length - written };
  }

  async read(project: string, view: string, keys: readonly Uint8Array[], features: readonly string[]): Promise<OnlineReadResult> {
    const connection = await this.#connector.connection();
    const payloads: (Buffer | null)[] = [];
    for (let start = 0; start < keys.length; start += CHUNK) {
      payloads.push(
        ...(await this.#connector.run('read', connection, () =>
          Promise.all(keys.slice(start, start + CHUNK).map((key) => connection.hGetPayload(this.#key(project, view, key)))),
        )),
      );
    }
    const rows = payloads.map((bytes) => (bytes ? decodeOnlineRow(bytes) : null));
    const values: Record<string, unknown[]> = {};
    for (const f of features) values[f] = rows.map((row) => (row ? (row.values[f] ?? null) : null));
    return { eventTimestamps: rows.map((row) => (row ? row.event : null)), values };
  }

  async deleteView(project: string, view: string): Promise<void> {
    const connection = await this.#connector.connection();
    const match = `${escapeGlob(`${this.#prefix}${project}:${view}:`)}*`;
    const pages = connection.scan(match)[Symbol.asyncIterator]();
    for (;;) {
      const page = await this.#connector.run('deleteView', connection, () => pages.next());
      if (page.done) break;
      // UNLINK one key per command (pipelined): a multi-key UNLINK fails across slots on a cluster.
      await this.#connector.run('deleteView', connection, () => Promise.all(page.value.map((key) => connection.unlink(key))));
    }
  }

  /** For /health: resolves when Redis answers now, fails fast while it is down. */
  checkHealth(): Promise<void> {
    return this.#connector.checkHealth();
  }

  close(): Promise<void> {
    return this.#connector.close();
  }
}

function connectionFor(options: RedisOnlineStoreOptions, socket: SocketDefaults, onError: (error: Error) => void): Connection {
  const target = clientOptionsOf(options, socket);
  if (!target.cluster) {
    const client = createClient({ url: target.url, socket: target.socket, scripts: SCRIPTS, commandOptions: NO_COMMAND_TIMEOUT });
    // Without a listener an 'error' event (a refused or dropped connection) would crash the process.
    client.on('error', onError);
    const buffers = client.withTypeMapping(BUFFERS);
    return {
      get isOpen() {
        return client.isOpen;
      },
      get isReady() {
        return client.isReady;
      },
      connect: () => client.connect(),
      hGetPayload: (key) => buffers.hGet(key, 'v'),
      writeIfNotOlder: (key, order, payload, ttl) => client.writeIfNotOlder(key, order, payload, ttl),
      unlink: (key) => client.unlink(key),
      scan: (match) => client.scanIterator({ MATCH: match, COUNT: 1000 }),
      destroy: () => client.destroy(),
      close: () => client.close(),
    };
  }
  const cluster = createCluster({
    rootNodes: target.rootNodes,
    defaults: target.defaults,
    commandOptions: NO_COMMAND_TIMEOUT,
    scripts: SCRIPTS,
  });
  cluster.on('error', onError);
  const buffers = cluster.withTypeMapping(BUFFERS);
  return {
    get isOpen() {
      return cluster.isOpen;
    },
    get isReady() {
      return cluster.isReady;
    },
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
