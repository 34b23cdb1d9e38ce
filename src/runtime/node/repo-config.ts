import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { FeastEdgeError } from '../../definitions/errors.js';
import type { NodeEngineChoice } from './engine.js';

/** The online store as configured; the store itself is wired by a later runtime module. */
export interface OnlineStoreConfig {
  readonly type: 'lmdb' | 'memory' | 'redis';
  /** A file or directory for embedded stores (LMDB), absolute. */
  readonly path?: string;
  /** Every other key as written, for the store to validate (e.g. Redis' connection_string). */
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

/** `feature_store.yaml` is missing, unparsable or invalid; the message names the field. */
export class RepoConfigError extends FeastEdgeError {
  constructor(message: string) { super('FeastConfigError', message); }
}

const FILE = 'feature_store.yaml';
/** Keys feast-edge reads; batch_engine, feature_server and coerce_tz_aware are accepted so Feast files load. */
const KNOWN_KEYS = ['project', 'provider', 'registry', 'offline_store', 'online_store', 'entity_key_serialization_version', 'batch_engine', 'feature_server', 'coerce_tz_aware'];
const REGISTRY_KEYS = ['path', 'registry_type', 'cache_ttl_seconds', 'cache_mode'];
// Feast's default offline store is 'file' (dask); here it means the same as duckdb: our engine on local files.
const OFFLINE_TYPES: Record<string, NodeEngineChoice> = { duckdb: 'auto', file: 'auto', 'duckdb-native': 'duckdb-native', 'duckdb-wasm': 'duckdb-wasm' };
const ONLINE_TYPES = ['lmdb', 'memory', 'redis'] as const;
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
  if (rest.path !== undefined && typeof rest.path !== 'string') fail('online_store.path', 'a file path', rest.path);
  const path = (rest.path as string | undefined) ?? (type === 'lmdb' ? DEFAULT_LMDB_PATH : undefined);
  return {
    ...rest,
    type: type as OnlineStoreConfig['type'],
    ...(path !== undefined ? { path: resolve(repoPath, path) } : {}),
  };
}
