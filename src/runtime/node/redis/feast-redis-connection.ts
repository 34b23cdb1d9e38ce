import type { RedisArgument } from 'redis';
import { DELETE_FEAST_VIEW, DUMP_KEYS, READ_FEAST_ROWS, WRITE_FEAST_ROW } from './feast-redis-scripts.js';
import { connectionOver, openRedisClient } from './redis-client.js';
import type { RedisConnectionOptions, SocketDefaults } from './redis-connection.js';

const SCRIPTS = { writeFeastRow: WRITE_FEAST_ROW, deleteFeastView: DELETE_FEAST_VIEW, readFeastRows: READ_FEAST_ROWS, dumpKeys: DUMP_KEYS };

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
  const opened = openRedisClient(options, socket, SCRIPTS, onError);
  const { commands, buffers } = opened;
  return connectionOver<FeastRedisConnection>(opened, {
    cluster: opened.cluster,
    dump: (key) => buffers.dump(key) as Promise<Buffer | null>,
    dumpKeys: (keys) => buffers.dumpKeys(keys) as Promise<(Buffer | null)[]>,
    readRows: (keys, fields) => buffers.readFeastRows(keys, fields) as Promise<Buffer>,
    writeRow: (key, args) => commands.writeFeastRow(key, args),
    deleteView: (key, fields) => commands.deleteFeastView(key, fields),
    scan: (match) => opened.scan(match),
  });
}
