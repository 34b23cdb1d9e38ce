import { createClient, createCluster, RESP_TYPES, type RedisClientType, type RedisClusterType, type RedisScripts } from 'redis';
import { clientOptionsOf, type RedisHandle, type RedisTarget, type SocketDefaults } from './redis-connection.js';

/** Replies of blob strings as Buffers: row bytes and hash fields are binary. */
const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer };
type Buffers = typeof BUFFERS;

/*
 * node-redis gives every command its own 5 s timeout (an AbortSignal each), which costs
 * about 4x the throughput of a pipelined batch. The stores turn that off and bound each
 * round of commands instead (RedisConnector, commandTimeoutMs): one timer, same protection.
 */
const NO_COMMAND_TIMEOUT = { timeout: undefined };

/*
 * The `as AsyncIterable<Buffer[]>` below: node-redis types a SCAN page under a type
 * mapping as (Buffer | string)[]; with blob strings mapped to Buffer every key is a Buffer.
 */

/** What a store's connection shares whether it talks to one server or a cluster. */
interface OpenedCommon extends RedisHandle {
  /** SCAN on every master (keys live on the node that owns their slot); keys as Buffers. */
  scan(match: string): AsyncIterable<Buffer[]>;
}

/**
 * One node-redis client or cluster with a store's scripts: `commands` answers strings,
 * `buffers` the same commands with blob strings as Buffers. `cluster` tells which, for
 * the calls that differ (a multi-key command names one slot's keys on a cluster).
 */
export type OpenedRedis<S extends RedisScripts> = OpenedClient<S> | OpenedCluster<S>;
type OpenedClient<S extends RedisScripts> = OpenedCommon & {
  readonly cluster: false;
  readonly commands: RedisClientType<{}, {}, S>;
  readonly buffers: RedisClientType<{}, {}, S, 3, Buffers>;
};
type OpenedCluster<S extends RedisScripts> = OpenedCommon & {
  readonly cluster: true;
  readonly commands: RedisClusterType<{}, {}, S>;
  readonly buffers: RedisClusterType<{}, {}, S, 3, Buffers>;
};

/** What a store's connection adds to the handle RedisConnector drives. */
type ConnectionMembers<C extends RedisHandle> = Omit<C, keyof RedisHandle>;

/** A store's connection: `members` beside the opened client's own isOpen, isReady, connect, destroy and close. */
export function connectionOver<C extends RedisHandle>(opened: RedisHandle, members: ConnectionMembers<C>): RedisHandle & ConnectionMembers<C> {
  return {
    get isOpen() {
      return opened.isOpen;
    },
    get isReady() {
      return opened.isReady;
    },
    connect: () => opened.connect(),
    destroy: () => opened.destroy(),
    close: () => opened.close(),
    ...members,
  };
}

/** Opens nothing yet (RedisConnector connects): creates the client or cluster for `target`, with `scripts`, errors to `onError`. */
export function openRedisClient<S extends RedisScripts>(
  target: RedisTarget,
  socket: SocketDefaults,
  scripts: S,
  onError: (error: Error) => void,
): OpenedRedis<S> {
  const options = clientOptionsOf(target, socket);
  if (!options.cluster) {
    // Without a listener an 'error' event (a refused or dropped connection) would crash the process.
    const client = createClient({ url: options.url, socket: options.socket, scripts, commandOptions: NO_COMMAND_TIMEOUT }).on('error', onError);
    const buffers = client.withTypeMapping(BUFFERS);
    return connectionOver<OpenedClient<S>>(client, {
      cluster: false,
      commands: client,
      buffers,
      scan: (match) => buffers.scanIterator({ MATCH: match, COUNT: 1000 }) as AsyncIterable<Buffer[]>,
    });
  }
  const cluster = createCluster({ rootNodes: options.rootNodes, defaults: options.defaults, commandOptions: NO_COMMAND_TIMEOUT, scripts }).on('error', onError);
  const buffers = cluster.withTypeMapping(BUFFERS);
  return connectionOver<OpenedCluster<S>>(cluster, {
    cluster: true,
    commands: cluster,
    buffers,
    async *scan(match) {
      for (const master of cluster.masters) {
        const client = (await cluster.nodeClient(master)).withTypeMapping(BUFFERS);
        yield* client.scanIterator({ MATCH: match, COUNT: 1000 }) as AsyncIterable<Buffer[]>;
      }
    },
  });
}
