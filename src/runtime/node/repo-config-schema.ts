import * as v from 'valibot';
import { expected, keyMessage, mapping, type Message, type Shown } from '../../definitions/schema-issue.js';
import type { NodeEngineChoice } from './duckdb/engine.js';
import type { RedisTarget } from './redis/redis-connection.js';

/*
 * feature_store.yaml as valibot checks it: Feast's keys where they apply, every other key
 * refused with the known ones named. batch_engine, feature_server and coerce_tz_aware are
 * accepted so Feast files load.
 */

/** YAML's word for nothing is null. */
const shown: Shown = (got) => JSON.stringify(got ?? null);
const expect = (what: string) => expected(what, shown);

/** A mapping with only these keys; another key's message lists them. */
function keys<const E extends v.ObjectEntries>(entries: E) {
  return v.strictObject(entries, keyMessage(entries, `known keys: ${Object.keys(entries).join(', ')}`));
}

/** Feast writes both `offline_store: file` and `offline_store: { type: file }` (and `registry: path`). */
function shortFor(key: string, message: Message) {
  return v.pipe(
    v.unknown(),
    v.transform((input) => (typeof input === 'string' ? { [key]: input } : input)),
    mapping(message),
  );
}

const DEFAULT_REGISTRY = 'data/registry.json';
const DEFAULT_LMDB_PATH = 'data/online_store.lmdb';
const FILE_PATH = v.string(expect('a file path'));
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;
const CACHE_TTL = expect('a number of seconds >= 0');

const registry = v.pipe(
  shortFor('path', expect('a path, or { path, cache_ttl_seconds }')),
  keys({
    path: v.optional(
      v.pipe(
        FILE_PATH,
        v.check((path) => !REMOTE.test(path), expect('a local file path (remote registries are not supported on Node yet)')),
      ),
      DEFAULT_REGISTRY,
    ),
    registry_type: v.optional(v.literal('file', expect("'file' (the only registry type on Node)"))),
    cache_ttl_seconds: v.optional(v.pipe(v.number(CACHE_TTL), v.minValue(0, CACHE_TTL)), 0),
    cache_mode: v.optional(v.picklist(['sync', 'thread'], expect("'sync' or 'thread'"))),
  }),
);

/** Feast's default offline store is 'file' (dask); here it means the same as duckdb: our engine on local files. */
export const OFFLINE_TYPES: Readonly<Record<string, NodeEngineChoice>> = {
  duckdb: 'auto',
  file: 'auto',
  'duckdb-native': 'duckdb-native',
  'duckdb-wasm': 'duckdb-wasm',
};
const STORE = expect('a type name or { type, ... }');
const TYPE = v.string(expect('a string'));

const offlineStore = v.pipe(
  shortFor('type', STORE),
  keys({ type: v.optional(v.pipe(TYPE, v.picklist(Object.keys(OFFLINE_TYPES), expect(`one of ${Object.keys(OFFLINE_TYPES).join(', ')}`))), 'duckdb') }),
);

const REDIS_CONNECTION = "'host:port[,password=...][,ssl=true][,db=N]' or redis://host:port[/db]";
const REDIS_PARAMS = ['password', 'username', 'ssl', 'db', 'skip_full_coverage_check'];
const CONNECTION = expect(`${REDIS_CONNECTION} (required for type redis)`);
const KEY_TTL = expect('a whole number of seconds >= 0 (0 or absent: keys never expire)');

/** Feast's RedisOnlineStoreConfig keys, plus key_prefix; full_scan_for_deletion is accepted (deletion always scans). */
const redisKeys = keys({
  type: v.literal('redis', expect("'redis'")),
  connection_string: v.pipe(
    v.string(CONNECTION),
    v.check((text) => text.trim() !== '', CONNECTION),
  ),
  redis_type: v.optional(v.picklist(['redis', 'redis_cluster'], expect("'redis' or 'redis_cluster' (redis_sentinel is not supported)"))),
  key_ttl_seconds: v.nullish(v.pipe(v.number(KEY_TTL), v.integer(KEY_TTL), v.minValue(0, KEY_TTL))),
  key_prefix: v.optional(v.string(expect('a string put before every key'))),
  full_scan_for_deletion: v.optional(v.boolean(expect('true or false'))),
});

type RedisKeys = v.InferOutput<typeof redisKeys>;

/** `online_store` of type redis, as written: its connection string names a server (or a cluster's root nodes) as Feast reads it. */
export const redisOnlineStore = v.pipe(
  redisKeys,
  v.forward(
    v.rawCheck<RedisKeys>(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const target = redisTarget(dataset.value.connection_string, dataset.value.redis_type === 'redis_cluster');
      if ('problem' in target) addIssue({ input: target.shown, message: expect(target.problem) });
    }),
    ['connection_string'],
  ),
);

const onlineStore = v.pipe(
  shortFor('type', STORE),
  v.looseObject({ type: v.optional(TYPE, 'lmdb') }),
  v.variant(
    'type',
    [
      keys({ type: v.literal('lmdb', expect("'lmdb'")), path: v.optional(FILE_PATH, DEFAULT_LMDB_PATH) }),
      keys({ type: v.literal('memory', expect("'memory'")) }),
      redisOnlineStore,
    ],
    expect('one of lmdb, memory, redis'),
  ),
);

const PROJECT = expect("a name of letters, digits and '_'");

/** feature_store.yaml, parsed from YAML. */
export const repoConfigFile = v.pipe(
  mapping(expect('a mapping of keys such as project: my_project')),
  keys({
    project: v.pipe(v.string(PROJECT), v.regex(/^[A-Za-z0-9_]+$/, PROJECT)),
    provider: v.optional(v.literal('local', expect("'local' (the only provider)"))),
    registry: v.nullish(registry, {}),
    offline_store: v.nullish(offlineStore, {}),
    online_store: v.nullish(onlineStore, {}),
    entity_key_serialization_version: v.nullish(v.literal(3, expect('3 (the only version supported)'))),
    batch_engine: v.optional(v.unknown()),
    feature_server: v.optional(v.unknown()),
    coerce_tz_aware: v.optional(v.boolean(expect('true or false'))),
  }),
);

/**
 * Where a Redis connection string points: `host:port[,key=value...]` (password,
 * username, ssl, db), or a redis:// URL; for a cluster, its root nodes
 * `host1:port1,host2:port2[,key=value...]`. A problem comes with the string to show,
 * its password masked.
 */
export function redisTarget(connection: string, cluster: boolean): RedisTarget | { problem: string; shown: string } {
  const shown = connection.replace(/(password=)[^,]*/gi, '$1***').replace(/(\/\/[^/@:]*:)[^@/]*@/, '$1***@');
  const refuse = (problem: string) => ({ problem, shown });
  if (/^rediss?:\/\//i.test(connection.trim())) {
    if (cluster) return refuse("root nodes as 'host1:port1,host2:port2[,password=...][,ssl=true]' for redis_type redis_cluster");
    try {
      new URL(connection.trim());
    } catch {
      return refuse(REDIS_CONNECTION);
    }
    return { url: connection.trim() };
  }
  const nodes: string[] = [];
  const params: Record<string, string> = {};
  for (const part of connection
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (!/^(\[[0-9A-Fa-f:.]+\]|[^\s:/@[\]]+)(:\d{1,5})?$/.test(part)) return refuse(`${REDIS_CONNECTION}; '${part}' is not host:port`);
      nodes.push(part.includes(':') && !part.endsWith(']') ? part : `${part}:6379`);
      continue;
    }
    const key = part.slice(0, eq).trim();
    if (!REDIS_PARAMS.includes(key)) return refuse(`parameters among ${REDIS_PARAMS.join(', ')}; '${key}' is not one`);
    params[key] = part.slice(eq + 1).trim();
  }
  if (nodes.length === 0) return refuse(`${REDIS_CONNECTION}; no host:port given`);
  if (params.ssl !== undefined && !/^(true|false)$/i.test(params.ssl)) return refuse('ssl=true or ssl=false');
  const tls = /^true$/i.test(params.ssl ?? '');
  if (params.db !== undefined && !/^\d+$/.test(params.db)) return refuse('db=<a database number>');
  if (cluster) {
    if (params.db !== undefined && params.db !== '0') return refuse('no db= other than 0 for redis_type redis_cluster (a cluster has only database 0)');
    return { clusterNodes: nodes, tls, ...(params.username ? { username: params.username } : {}), ...(params.password ? { password: params.password } : {}) };
  }
  if (nodes.length > 1) return refuse('one host:port for redis_type redis (several are root nodes of a cluster: set redis_type: redis_cluster)');
  const auth =
    params.password !== undefined
      ? `${encodeURIComponent(params.username ?? '')}:${encodeURIComponent(params.password)}@`
      : params.username !== undefined
        ? `${encodeURIComponent(params.username)}@`
        : '';
  return { url: `${tls ? 'rediss' : 'redis'}://${auth}${nodes[0]}${params.db !== undefined ? `/${params.db}` : ''}` };
}
