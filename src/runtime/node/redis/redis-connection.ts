import { InvalidOnlineStoreConfig, OnlineStoreConnectionError } from '../../../errors.js';

/** Where the rows live: one server, or a Redis Cluster found from a few of its nodes. */
export type RedisTarget =
  /** `redis://[[user]:password@]host:port[/db]`; `rediss://` for TLS. */
  | { readonly url: string }
  /** Root nodes as `host:port` (or `redis://host:port`); the rest of the cluster is discovered. */
  | { readonly clusterNodes: readonly string[]; readonly username?: string; readonly password?: string; readonly tls?: boolean };

/** The connection settings every Redis-backed store takes. */
export type RedisConnectionOptions = RedisTarget & {
  /** How long to wait for the first connection before failing. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** How long one pipelined round of commands may wait for replies before the connection is dropped. Default 10000 ms. */
  readonly commandTimeoutMs?: number;
};

/** What a store's connection (one client or a cluster) must offer the connector. */
export interface RedisHandle {
  readonly isOpen: boolean;
  readonly isReady: boolean;
  connect(): Promise<unknown>;
  destroy(): void;
  close(): Promise<void>;
}

export type SocketDefaults = { connectTimeout: number; reconnectStrategy: (retries: number, cause: Error) => number | Error };

/** How often a round of commands checks that its connection is still up. */
const LOST_CHECK_MS = 50;

/** How long a call waits for a connection that is reconnecting (a dropped socket comes back in milliseconds; a lost server does not). */
const RECONNECT_GRACE_MS = 300;

/** True once `connection` is ready, false if it is not within `ms`. */
async function readyWithin(connection: RedisHandle, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!connection.isReady) {
    if (!connection.isOpen || Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** Reconnect attempts after a connection that worked is lost, before queued commands fail. */
const RECONNECT_ATTEMPTS = 20;

/** Everything node-redis' createClient or createCluster needs from the target, besides the store's scripts. */
export function clientOptionsOf(
  target: RedisTarget,
  socket: SocketDefaults,
):
  | { readonly cluster: false; readonly url: string; readonly socket: SocketDefaults }
  | {
      readonly cluster: true;
      readonly rootNodes: { url: string }[];
      readonly defaults: { username?: string; password?: string; socket: SocketDefaults & { tls?: true } };
    } {
  if ('url' in target) return { cluster: false, url: target.url, socket };
  const tls = target.tls || target.clusterNodes.some((node) => node.startsWith('rediss://'));
  return {
    cluster: true,
    rootNodes: target.clusterNodes.map((node) => ({ url: node.includes('://') ? node : `${tls ? 'rediss' : 'redis'}://${node}` })),
    // Discovered nodes get only these defaults, not the root nodes' settings: credentials and TLS go here.
    defaults: { username: target.username, password: target.password, socket: tls ? { ...socket, tls: true } : socket },
  };
}

/**
 * Opens a store's connection on first use, reopens it after it gave up, and bounds
 * every round of commands. Before the first connection it fails at once (a wrong
 * address should not retry for ever); after it, a lost connection is retried a bounded
 * number of times, then queued commands fail instead of waiting.
 */
export class RedisConnector<C extends RedisHandle> {
  /** The server or root nodes, without credentials: what error messages name. */
  readonly address: string;
  readonly #options: RedisConnectionOptions;
  readonly #create: (socket: SocketDefaults, onError: (error: Error) => void) => C;
  #connection?: Promise<C>;
  #lastError?: Error;

  constructor(options: RedisConnectionOptions, create: (socket: SocketDefaults, onError: (error: Error) => void) => C) {
    this.#options = options;
    this.#create = create;
    this.address = 'url' in options ? describeUrl(options.url) : options.clusterNodes.map(describeNode).join(',');
  }

  /**
   * The open connection, or a new one when there is none or the last one gave up
   * reconnecting. A connection that is reconnecting (Redis went away) fails within RECONNECT_GRACE_MS: its
   * commands would wait in the client's queue up to the command timeout, and requests with them.
   */
  async connection(): Promise<C> {
    const current = this.#connection;
    if (current) {
      const connection = await current.catch(() => undefined);
      if (connection?.isOpen && !connection.isReady && !(await readyWithin(connection, RECONNECT_GRACE_MS))) {
        throw new OnlineStoreConnectionError(
          `Redis at ${this.address} is not reachable (the connection was lost and is being re-established${this.#lastError ? `: ${this.#lastError.message}` : ''}); try again shortly`,
        );
      }
      if (connection?.isOpen) return connection;
      if (this.#connection === current) this.#connection = undefined;
      else if (this.#connection) return this.connection();
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

  async #open(): Promise<C> {
    const timeout = this.#options.connectTimeoutMs ?? 5000;
    let ready = false;
    const reconnectStrategy = (retries: number, cause: Error) => (!ready || retries >= RECONNECT_ATTEMPTS ? cause : Math.min(50 * 2 ** retries, 1000));
    const connection = this.#create({ connectTimeout: timeout, reconnectStrategy }, (error) => {
      this.#lastError = error;
    });
    let timer: NodeJS.Timeout | undefined;
    try {
      // connectTimeout covers the TCP connect; this also bounds a peer that accepts and never answers.
      await Promise.race([
        connection.connect(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout + 1000);
        }),
      ]);
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
  async run<T>(operation: string, connection: C, round: () => Promise<T>): Promise<T> {
    const limit = this.#options.commandTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    let watch: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        round(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            connection.destroy();
            reject(new Error(`no reply within ${limit} ms; the connection was dropped`));
          }, limit);
          // A connection lost mid-round keeps its unanswered commands for the reconnect; the request does not wait for that.
          watch = setInterval(() => {
            if (!connection.isReady) reject(new Error(`the connection was lost before the reply${this.#lastError ? ` (${this.#lastError.message})` : ''}`));
          }, LOST_CHECK_MS);
        }),
      ]);
    } catch (error) {
      throw new OnlineStoreConnectionError(`Redis at ${this.address}: ${operation} failed: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
      clearInterval(watch);
    }
  }

  /** Resolves when a connection is ready now; rejects at once (an OnlineStoreConnectionError) while Redis cannot be reached. */
  async checkHealth(): Promise<void> {
    await this.connection();
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
