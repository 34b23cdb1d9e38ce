import { FeastEdgeError } from '../../../errors.js';

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

/** The options checked, with their defaults: what the store runs with. */
export interface RedisSettings {
  /** The server or root nodes, without credentials: what error messages name. */
  readonly address: string;
  readonly keyPrefix: string;
  /** keyTtlSeconds as the write script's argument; '0' never expires. */
  readonly ttl: string;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
}

/** Checks the options (a bad keyTtlSeconds or url is an InvalidOnlineStoreConfig) and fills in the defaults. */
export function redisSettings(options: RedisOnlineStoreOptions): RedisSettings {
  const ttl = options.keyTtlSeconds ?? 0;
  if (!Number.isInteger(ttl) || ttl < 0) throw new FeastEdgeError('InvalidOnlineStoreConfig', `redis keyTtlSeconds: expected a whole number of seconds >= 0, got ${ttl}`);
  return {
    address: 'url' in options ? describeUrl(options.url) : options.clusterNodes.map(describeNode).join(','),
    keyPrefix: options.keyPrefix ?? '',
    ttl: String(ttl),
    connectTimeoutMs: options.connectTimeoutMs ?? 5000,
    commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
  };
}

/** The URL as host:port/db with the scheme and without credentials. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.hostname}:${parsed.port || 6379}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
  } catch {
    throw new FeastEdgeError('InvalidOnlineStoreConfig', `redis url: expected redis://host:port[/db] or rediss://..., got ${JSON.stringify(url)}`);
  }
}

function describeNode(node: string): string {
  return node.includes('://') ? describeUrl(node) : node;
}
