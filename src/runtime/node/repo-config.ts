import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { FeastConfigError as RepoConfigError } from '../../errors.js';
import type { NodeEngineChoice } from './duckdb/engine.js';
import type { RedisTarget } from './redis/redis-connection.js';

/** The online store as configured; the store itself is wired by a later runtime module. */
export interface OnlineStoreConfig {
  readonly type: 'lmdb' | 'memory' | 'redis';
  /** A file or directory for embedded stores (LMDB), absolute. */
  readonly path?: string;
  /** Every other key as written in the file (checked here); redisOptionsOf reads Redis' keys. */
  readonly [key: string]: unknown;
}

/** `feature_store.yaml`, with Feast's keys where they apply. */
export interface RepoConfig {
  /** Absolute path of the repo (the folder holding feature_store.yaml). */
  readonly repoPath: string;
  readonly project: string;
  readonly provider: 'local';
  /** Absolute path of the registry file (`.json`; a Feast `.db` name is kept beside as `.json`). */
  readonly registryPath: string;
  /** Feast's registry cache ttl; 0 means never expires. Kept for the server's refresh. */
  readonly registryCacheTtlSeconds: number;
  readonly offlineStore: { readonly type: NodeEngineChoice };
  readonly onlineStore: OnlineStoreConfig;
  readonly entityKeySerializationVersion: 3;
}

/** `feature_store.yaml` is missing, unparsable or invalid: Feast's FeastConfigError (src/errors.ts), under this module's name. */
export { RepoConfigError };

const FILE = 'feature_store.yaml';
/** Keys feast-edge reads; batch_engine, feature_server and coerce_tz_aware are accepted so Feast files load. */
const KNOWN_KEYS = ['project', 'provider', 'registry', 'offline_store', 'online_store', 'entity_key_serialization_version', 'batch_engine', 'feature_server', 'coerce_tz_aware'];
const REGISTRY_KEYS = ['path', 'registry_type', 'cache_ttl_seconds', 'cache_mode'];
// Feast's default offline store is 'file' (dask); here it means the same as duckdb: our engine on local files.
const OFFLINE_TYPES: Record<string, NodeEngineChoice> = { duckdb: 'auto', file: 'auto', 'duckdb-native': 'duckdb-native', 'duckdb-wasm': 'duckdb-wasm' };
const ONLINE_TYPES = ['lmdb', 'memory', 'redis'] as const;
/** Feast's RedisOnlineStoreConfig keys, plus key_prefix; full_scan_for_deletion is accepted (deletion always scans). */
const ONLINE_KEYS: Record<OnlineStoreConfig['type'], readonly string[]> = {
  lmdb: ['type', 'path'],
  memory: ['type'],
  redis: ['type', 'connection_string', 'redis_type', 'key_ttl_seconds', 'key_prefix', 'full_scan_for_deletion'],
};
const REDIS_CONNECTION = "'host:port[,password=...][,ssl=true][,db=N]' or redis://host:port[/db]";
const REDIS_PARAMS = ['password', 'username', 'ssl', 'db', 'skip_full_coverage_check'];
const DEFAULT_REGISTRY = 'data/registry.json';
const DEFAULT_LMDB_PATH = 'data/online_store.lmdb';

function fail(field: string, expected: string, got?: unknown): never {
  const shown = got === undefined ? '' : `, got ${JSON.stringify(got)}`;
  throw new RepoConfigError(`${FILE}: ${field}: expected ${expected}${shown}`);
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function checkKeys(doc: Record<string, unknown>, known: readonly string[], where: string): void {
  for (const key of Object.keys(doc)) {
    if (!known.includes(key)) {
      throw new RepoConfigError(`${FILE}: unknown key '${where}${key}'; known keys: ${known.join(', ')}`);
    }
  }
}

/**
 * Reads and validates `<repoPath>/feature_store.yaml`.
 * @example const config = await loadRepoConfig('feature_repo'); config.project // 'driver_ranking'
 */
export async function loadRepoConfig(repoPath: string): Promise<RepoConfig> {
  const root = resolve(repoPath);
  let text: string;
  try {
    text = await readFile(join(root, FILE), 'utf8');
  } catch {
    throw new RepoConfigError(`no ${FILE} in ${root}; run 'feast-edge init' or pass --repo`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new RepoConfigError(`${FILE} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  return parseRepoConfig(raw, root);
}

/** Validates an already-parsed `feature_store.yaml`; relative paths resolve against `repoPath`. */
export function parseRepoConfig(raw: unknown, repoPath: string): RepoConfig {
  if (!isMapping(raw)) return fail('(top level)', 'a mapping of keys such as project: my_project', raw ?? null);
  checkKeys(raw, KNOWN_KEYS, '');
  const project = raw.project;
  if (typeof project !== 'string' || !/^[A-Za-z0-9_]+$/.test(project)) {
    return fail('project', "a name of letters, digits and '_'", project ?? null);
  }
  if (raw.provider !== undefined && raw.provider !== 'local') fail('provider', "'local' (the only provider)", raw.provider);
  const version = raw.entity_key_serialization_version ?? 3;
  if (version !== 3) fail('entity_key_serialization_version', '3 (the only version supported)', version);
  if (raw.coerce_tz_aware !== undefined && typeof raw.coerce_tz_aware !== 'boolean') fail('coerce_tz_aware', 'true or false', raw.coerce_tz_aware);
  return {
    repoPath,
    project,
    provider: 'local',
    ...parseRegistry(raw.registry, repoPath),
    offlineStore: { type: parseOfflineStore(raw.offline_store) },
    onlineStore: parseOnlineStore(raw.online_store, repoPath),
    entityKeySerializationVersion: 3,
  };
}

function parseRegistry(value: unknown, repoPath: string): { registryPath: string; registryCacheTtlSeconds: number } {
  let path = DEFAULT_REGISTRY;
  let ttl = 0;
  if (typeof value === 'string') {
    path = value;
  } else if (isMapping(value)) {
    checkKeys(value, REGISTRY_KEYS, 'registry.');
    if (value.registry_type !== undefined && value.registry_type !== 'file') fail('registry.registry_type', "'file' (the only registry type on Node)", value.registry_type);
    if (value.path !== undefined && typeof value.path !== 'string') fail('registry.path', 'a file path', value.path);
    path = (value.path as string | undefined) ?? DEFAULT_REGISTRY;
    if (value.cache_ttl_seconds !== undefined) {
      if (typeof value.cache_ttl_seconds !== 'number' || !(value.cache_ttl_seconds >= 0)) fail('registry.cache_ttl_seconds', 'a number of seconds >= 0', value.cache_ttl_seconds);
      ttl = value.cache_ttl_seconds as number;
    }
    if (value.cache_mode !== undefined && value.cache_mode !== 'sync' && value.cache_mode !== 'thread') fail('registry.cache_mode', "'sync' or 'thread'", value.cache_mode);
  } else if (value !== undefined && value !== null) {
    fail('registry', 'a path, or { path, cache_ttl_seconds }', value);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) fail('registry.path', 'a local file path (remote registries are not supported on Node yet)', path);
  // A Feast registry.db is protobuf; ours is JSON, so it goes beside it instead of over it.
  return { registryPath: resolve(repoPath, path.replace(/\.db$/, '.json')), registryCacheTtlSeconds: ttl };
}

/** Feast writes both `offline_store: file` and `offline_store: { type: file }`. */
function storeType(value: unknown, key: string): { type?: string; rest: Record<string, unknown> } {
  if (value === undefined || value === null) return { rest: {} };
  if (typeof value === 'string') return { type: value, rest: {} };
  if (!isMapping(value)) return fail(key, 'a type name or { type, ... }', value);
  const { type, ...rest } = value;
  if (type !== undefined && typeof type !== 'string') fail(`${key}.type`, 'a string', type);
  return { type: type as string | undefined, rest };
}

function parseOfflineStore(value: unknown): NodeEngineChoice {
  const { type = 'duckdb', rest } = storeType(value, 'offline_store');
  checkKeys(rest, ['type'], 'offline_store.');
  const engine = OFFLINE_TYPES[type];
  if (!engine) fail('offline_store.type', `one of ${Object.keys(OFFLINE_TYPES).join(', ')}`, type);
  return engine;
}

function parseOnlineStore(value: unknown, repoPath: string): OnlineStoreConfig {
  const { type = 'lmdb', rest } = storeType(value, 'online_store');
  if (!(ONLINE_TYPES as readonly string[]).includes(type)) fail('online_store.type', `one of ${ONLINE_TYPES.join(', ')}`, type);
  checkKeys(rest, ONLINE_KEYS[type as OnlineStoreConfig['type']], 'online_store.');
  if (rest.path !== undefined && typeof rest.path !== 'string') fail('online_store.path', 'a file path', rest.path);
  const path = (rest.path as string | undefined) ?? (type === 'lmdb' ? DEFAULT_LMDB_PATH : undefined);
  const config: OnlineStoreConfig = {
    ...rest,
    type: type as OnlineStoreConfig['type'],
    ...(path !== undefined ? { path: resolve(repoPath, path) } : {}),
  };
  if (type === 'redis') redisOptionsOf(config);
  return config;
}

/** What a RedisOnlineStore needs, from a validated `online_store` of type redis. */
export interface RedisConfig {
  readonly target: RedisTarget;
  readonly keyPrefix?: string;
  readonly keyTtlSeconds?: number;
}

/**
 * Reads `online_store` of type redis, Feast's way: `connection_string` is
 * `host:port[,key=value...]` (password, username, ssl, db), or a redis:// URL; with
 * `redis_type: redis_cluster` it lists root nodes, `host1:port1,host2:port2[,key=value...]`.
 * Kept apart from parseRepoConfig's result so the config stays as written in the file.
 * @example redisOptionsOf({ type: 'redis', connection_string: 'localhost:6379,db=1' }).target // { url: 'redis://localhost:6379/1' }
 */
export function redisOptionsOf(online: OnlineStoreConfig): RedisConfig {
  const { connection_string: connection, redis_type: redisType = 'redis', key_ttl_seconds: ttl, key_prefix: keyPrefix } = online;
  if (redisType !== 'redis' && redisType !== 'redis_cluster') fail('online_store.redis_type', "'redis' or 'redis_cluster' (redis_sentinel is not supported)", redisType);
  if (typeof connection !== 'string' || connection.trim() === '') fail('online_store.connection_string', `${REDIS_CONNECTION} (required for type redis)`, connection ?? null);
  if (ttl !== undefined && ttl !== null && !(typeof ttl === 'number' && Number.isInteger(ttl) && ttl >= 0)) {
    fail('online_store.key_ttl_seconds', 'a whole number of seconds >= 0 (0 or absent: keys never expire)', ttl);
  }
  if (keyPrefix !== undefined && typeof keyPrefix !== 'string') fail('online_store.key_prefix', 'a string put before every key', keyPrefix);
  if (online.full_scan_for_deletion !== undefined && typeof online.full_scan_for_deletion !== 'boolean') {
    fail('online_store.full_scan_for_deletion', 'true or false', online.full_scan_for_deletion);
  }
  return {
    target: redisTarget(connection as string, redisType === 'redis_cluster'),
    ...(keyPrefix ? { keyPrefix: keyPrefix as string } : {}),
    ...(ttl ? { keyTtlSeconds: ttl as number } : {}),
  };
}

function redisTarget(connection: string, cluster: boolean): RedisTarget {
  const field = 'online_store.connection_string';
  // Error messages show the string with its password masked.
  const shown = connection.replace(/(password=)[^,]*/gi, '$1***').replace(/(\/\/[^/@:]*:)[^@/]*@/, '$1***@');
  if (/^rediss?:\/\//i.test(connection.trim())) {
    if (cluster) fail(field, "root nodes as 'host1:port1,host2:port2[,password=...][,ssl=true]' for redis_type redis_cluster", shown);
    try {
      new URL(connection.trim());
    } catch {
      fail(field, REDIS_CONNECTION, shown);
    }
    return { url: connection.trim() };
  }
  const nodes: string[] = [];
  const params: Record<string, string> = {};
  for (const part of connection.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (!/^(\[[0-9A-Fa-f:.]+\]|[^\s:/@\[\]]+)(:\d{1,5})?$/.test(part)) fail(field, `${REDIS_CONNECTION}; '${part}' is not host:port`, shown);
      nodes.push(part.includes(':') && !part.endsWith(']') ? part : `${part}:6379`);
      continue;
    }
    const key = part.slice(0, eq).trim();
    if (!REDIS_PARAMS.includes(key)) fail(field, `parameters among ${REDIS_PARAMS.join(', ')}; '${key}' is not one`, shown);
    params[key] = part.slice(eq + 1).trim();
  }
  if (nodes.length === 0) fail(field, `${REDIS_CONNECTION}; no host:port given`, shown);
  if (params.ssl !== undefined && !/^(true|false)$/i.test(params.ssl)) fail(field, 'ssl=true or ssl=false', shown);
  const tls = /^true$/i.test(params.ssl ?? '');
  if (params.db !== undefined && !/^\d+$/.test(params.db)) fail(field, 'db=<a database number>', shown);
  if (cluster) {
    if (params.db !== undefined && params.db !== '0') fail(field, 'no db= other than 0 for redis_type redis_cluster (a cluster has only database 0)', shown);
    return { clusterNodes: nodes, tls, ...(params.username ? { username: params.username } : {}), ...(params.password ? { password: params.password } : {}) };
  }
  if (nodes.length > 1) fail(field, `one host:port for redis_type redis (several are root nodes of a cluster: set redis_type: redis_cluster)`, shown);
  const auth = params.password !== undefined
    ? `${encodeURIComponent(params.username ?? '')}:${encodeURIComponent(params.password)}@`
    : params.username !== undefined ? `${encodeURIComponent(params.username)}@` : '';
  return { url: `${tls ? 'rediss' : 'redis'}://${auth}${nodes[0]}${params.db !== undefined ? `/${params.db}` : ''}` };
}
