import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import { parse } from 'yaml';
import { issueMessage, issuePath } from '../../definitions/schema-issue.js';
import { FeastConfigError as RepoConfigError } from '../../errors.js';
import type { NodeEngineChoice } from './duckdb/engine.js';
import type { RedisTarget } from './redis/redis-connection.js';
import { feastKeyNotes } from './repo-config-notes.js';
import { redisOnlineStore, redisTarget, type REDIS_LAYOUTS } from './repo-config-redis.js';
import { OFFLINE_TYPES, onlineStore, repoConfigFile } from './repo-config-schema.js';

/** The online store as configured; the store itself is wired by a later runtime module. */
export interface OnlineStoreConfig {
  readonly type: 'lmdb' | 'memory' | 'redis' | 'sqlite' | 'cloudflare_kv' | 'deno_kv';
  /** A file or directory for embedded stores (LMDB, SQLite), absolute. */
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
  /** Absolute path of the registry file. */
  readonly registryPath: string;
  /**
   * 'feast': Feast's protobuf registry (any name but `.json`, e.g. `data/registry.db`),
   * read and written as Feast does; 'feast-edge': feast-edge's JSON document (`.json`).
   */
  readonly registryFormat: 'feast' | 'feast-edge';
  /** Feast's registry cache ttl; 0 means never expires. Kept for the server's refresh. */
  readonly registryCacheTtlSeconds: number;
  readonly offlineStore: { readonly type: NodeEngineChoice };
  readonly onlineStore: OnlineStoreConfig;
  readonly entityKeySerializationVersion: 3;
  /** Feast's auth type; feast-edge's server checks bearer tokens instead (see notes). */
  readonly authType: 'no_auth' | 'kubernetes' | 'oidc';
  /** One line per Feast key accepted but treated feast-edge's way (repo-config-notes.ts). */
  readonly notes: readonly string[];
}

/** `feature_store.yaml` is missing, unparsable or invalid: Feast's FeastConfigError (src/errors.ts), under this module's name. */
export { RepoConfigError };

const FILE = 'feature_store.yaml';

/** The error for a failed check; an unknown key comes first, as it is most often a misspelt known one. */
function configError(issues: readonly v.BaseIssue<unknown>[], root = ''): RepoConfigError {
  const unknownKey = issues.find((issue) => issue.type === 'strict_object' && issue.expected === 'never');
  if (unknownKey) return new RepoConfigError(`${FILE}: unknown key '${issuePath(unknownKey, root)}'; ${unknownKey.message}`);
  return new RepoConfigError(`${FILE}: ${issueMessage(issues, root, '(top level)')}`);
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
  const checked = v.safeParse(repoConfigFile, raw);
  if (!checked.success) throw configError(checked.issues);
  const { project, registry, offline_store: offline } = checked.output;
  const registryFormat = /\.json$/i.test(registry.path) ? 'feast-edge' : 'feast';
  // Absent, the online store is Feast's default (SQLite) beside a Feast registry, else LMDB.
  const online = checked.output.online_store ?? v.parse(onlineStore, registryFormat === 'feast' ? { type: 'sqlite' } : {});
  return {
    repoPath,
    project,
    provider: 'local',
    registryPath: resolve(repoPath, registry.path),
    registryFormat,
    registryCacheTtlSeconds: registry.cache_ttl_seconds,
    offlineStore: { type: OFFLINE_TYPES[offline.type] },
    onlineStore: { ...online, ...('path' in online && online.path !== undefined ? { path: resolve(repoPath, online.path) } : {}) },
    entityKeySerializationVersion: 3,
    authType: checked.output.auth?.type ?? 'no_auth',
    notes: feastKeyNotes(checked.output),
  };
}

/** What a RedisOnlineStore needs, from a validated `online_store` of type redis. */
export interface RedisConfig {
  readonly target: RedisTarget;
  readonly keyPrefix?: string;
  readonly keyTtlSeconds?: number;
  /** Absent: the caller's default (Feast's layout beside a Feast registry). */
  readonly layout?: (typeof REDIS_LAYOUTS)[number];
}

/**
 * Reads `online_store` of type redis, Feast's way: `connection_string` is
 * `host:port[,key=value...]` (password, username, ssl, db), or a redis:// URL; with
 * `redis_type: redis_cluster` it lists root nodes, `host1:port1,host2:port2[,key=value...]`.
 * Kept apart from parseRepoConfig's result so the config stays as written in the file.
 * @example redisOptionsOf({ type: 'redis', connection_string: 'localhost:6379,db=1' }).target // { url: 'redis://localhost:6379/1' }
 */
export function redisOptionsOf(online: OnlineStoreConfig): RedisConfig {
  const checked = v.safeParse(redisOnlineStore, online);
  if (!checked.success) throw configError(checked.issues, 'online_store');
  const { connection_string: connection, redis_type: redisType, key_ttl_seconds: ttl, key_prefix: keyPrefix, layout } = checked.output;
  return {
    target: redisTarget(connection, redisType === 'redis_cluster') as RedisTarget,
    ...(keyPrefix ? { keyPrefix } : {}),
    ...(ttl ? { keyTtlSeconds: ttl } : {}),
    ...(layout ? { layout } : {}),
  };
}
