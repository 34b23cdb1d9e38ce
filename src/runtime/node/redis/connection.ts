import { createClient, createCluster, RESP_TYPES } from 'redis';
import type { RedisOnlineStoreOptions } from './config.js';
import { SCRIPTS } from './write-script.js';

const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer };
/*
 * node-redis gives every command its own 5 s timeout (an AbortSignal each), which costs
 * about 4x the throughput of a pipelined batch. The store turns that off and bounds each
 * round of CHUNK commands instead (commandTimeoutMs): one timer, same protection.
 */
const NO_COMMAND_TIMEOUT = { timeout: undefined };

/** The few commands the store needs, the same for one server and for a cluster. */
export interface Connection {
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

export type SocketDefaults = { connectTimeout: number; reconnectStrategy: (retries: number, cause: Error) => number | Error };

/** A client for one server or a cluster, not yet connected, behind the commands the store needs. */
export function connectionFor(options: RedisOnlineStoreOptions, socket: SocketDefaults, onError: (error: Error) => void): Connection & { connect(): Promise<unknown> } {
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
