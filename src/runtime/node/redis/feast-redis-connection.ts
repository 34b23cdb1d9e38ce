import { createClient, createCluster, RESP_TYPES, type RedisArgument } from 'redis';
import { DELETE_FEAST_VIEW, DUMP_KEYS, READ_FEAST_ROWS, WRITE_FEAST_ROW } from './feast-redis-scripts.js';
import { clientOptionsOf, type RedisConnectionOptions, type SocketDefaults } from './redis-connection.js';

const SCRIPTS = { writeFeastRow: WRITE_FEAST_ROW, deleteFeastView: DELETE_FEAST_VIEW, readFeastRows: READ_FEAST_ROWS, dumpKeys: DUMP_KEYS };
const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer };
/** Per-command timeouts off: each round of commands is bounded instead (see RedisOnlineStore). */
const NO_COMMAND_TIMEOUT = { timeout: undefined };

/** The few commands the Feast-layout store sends, the same for one server and for a cluster; replies as Buffers. */
export interface FeastRedisConnection {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  /** A cluster: a call may only name keys of one slot. */
  readonly cluster: boolean;
  /** The key as DUMP serializes it, or null when there is no such key. */
  dump(key: Buffer): Promise<Buffer | null>;
  /** DUMP_KEYS: each key as DUMP serializes it (null for a missing key), in one call; the keys must share a slot where slots apply. */
  dumpKeys(keys: readonly Buffer[]): Promise<(Buffer | null)[]>;
  /** READ_FEAST_ROWS: the packed fields of every key. */
  readRows(keys: readonly Buffer[], fields: readonly Buffer[]): Promise<Buffer>;
  writeRow(key: Buffer, args: readonly RedisArgument[]): Promise<number>;
  deleteView(key: Buffer, fields: readonly Buffer[]): Promise<number>;
  /** SCAN on every master: keys live on the node that owns their slot. */
  scan(match: string): AsyncIterable<Buffer[]>;
  destroy(): void;
  close(): Promise<void>;
}

/** One client (or a cluster) with the store's scripts. */
export function feastRedisConnection(options: RedisConnectionOptions, socket: SocketDefaults, onError: (error: Error) => void): FeastRedisConnection {
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
      cluster: false,
      dump: (key) => buffers.dump(key) as Promise<Buffer | null>,
      dumpKeys: (keys) => buffers.dumpKeys(keys) as Promise<(Buffer | null)[]>,
      readRows: (keys, fields) => buffers.readFeastRows(keys, fields) as Promise<Buffer>,
      writeRow: (key, args) => client.writeFeastRow(key, args),
      deleteView: (key, fields) => client.deleteFeastView(key, fields),
      scan: (match) => buffers.scanIterator({ MATCH: match, COUNT: 1000 }) as AsyncIterable<Buffer[]>,
      destroy: () => client.destroy(),
      close: () => client.close(),
    };
  }
  const cluster = createCluster({ rootNodes: target.rootNodes, defaults: target.defaults, commandOptions: NO_COMMAND_TIMEOUT, scripts: SCRIPTS });
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
    cluster: true,
    dump: (key) => buffers.dump(key) as Promise<Buffer | null>,
    dumpKeys: (keys) => buffers.dumpKeys(keys) as Promise<(Buffer | null)[]>,
    readRows: (keys, fields) => buffers.readFeastRows(keys, fields) as Promise<Buffer>,
    writeRow: (key, args) => cluster.writeFeastRow(key, args),
    deleteView: (key, fields) => cluster.deleteFeastView(key, fields),
    async *scan(match) {
      for (const master of cluster.masters) {
        const client = (await cluster.nodeClient(master)).withTypeMapping(BUFFERS);
        yield* client.scanIterator({ MATCH: match, COUNT: 1000 }) as AsyncIterable<Buffer[]>;
      }
    },
    destroy: () => cluster.destroy(),
    close: () => cluster.close(),
  };
}
