import * as v from 'valibot';
import { expected, type Shown } from '../../definitions/schema-issue.js';
import type { RedisTarget } from './redis/redis-connection.js';
import { strictKeys } from './repo-config-keys.js';

/*
 * online_store of type redis in feature_store.yaml: Feast's RedisOnlineStoreConfig keys,
 * plus key_prefix and layout (feast-edge's own keys or Feast's).
 */

const shown: Shown = (got) => JSON.stringify(got ?? null);
const expect = (what: string) => expected(what, shown);

const REDIS_CONNECTION = "'host:port[,password=...][,ssl=true][,db=N]' or redis://host:port[/db]";
const REDIS_PARAMS = ['password', 'username', 'ssl', 'db', 'skip_full_coverage_check'];
const CONNECTION = expect(`${REDIS_CONNECTION} (required for type redis)`);
const KEY_TTL = expect('a whole number of seconds >= 0 (0 or absent: keys never expire)');

/** The two ways to lay out a view's rows in Redis. */
export const REDIS_LAYOUTS = ['feast', 'feast-edge'] as const;

/** Feast's RedisOnlineStoreConfig keys, plus key_prefix and layout; full_scan_for_deletion and skip_dedup are accepted (deletion always scans). */
const redisKeys = strictKeys({
  type: v.literal('redis', expect("'redis'")),
  connection_string: v.pipe(
    v.string(CONNECTION),
    v.check((text) => text.trim() !== '', CONNECTION),
  ),
  redis_type: v.optional(v.picklist(['redis', 'redis_cluster'], expect("'redis' or 'redis_cluster' (redis_sentinel is not supported)"))),
  key_ttl_seconds: v.nullish(v.pipe(v.number(KEY_TTL), v.integer(KEY_TTL), v.minValue(0, KEY_TTL))),
  key_prefix: v.optional(v.string(expect('a string put before every key'))),
  full_scan_for_deletion: v.optional(v.boolean(expect('true or false'))),
  layout: v.optional(
    v.picklist(
      REDIS_LAYOUTS,
      expect(
        "'feast' (Feast's keys and values: Feast reads them; the default with a registry.db) or 'feast-edge' (its own layout; the default with registry.json)",
      ),
    ),
  ),
  sentinel_master: v.optional(v.string(expect('a string (sentinels are not supported; the key is ignored)'))),
  skip_dedup: v.optional(v.boolean(expect('true or false'))),
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
