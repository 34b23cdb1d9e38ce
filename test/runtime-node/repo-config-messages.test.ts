import { describe, expect, it } from 'vitest';
import { parseRepoConfig, redisOptionsOf } from '../../src/runtime/node/repo-config.js';

// Every message feature_store.yaml's checks give, word for word.
const REDIS = "'host:port[,password=...][,ssl=true][,db=N]' or redis://host:port[/db]";
const redis = (extra: object) => ({ project: 'p', online_store: { type: 'redis', connection_string: 'localhost:6379', ...extra } });

describe('feature_store.yaml messages name the field, what was expected and what was given', () => {
  it.each<[string, unknown, string]>([
    ['a list at the top', ['project'], 'feature_store.yaml: (top level): expected a mapping of keys such as project: my_project, got ["project"]'],
    ['an empty file', null, 'feature_store.yaml: (top level): expected a mapping of keys such as project: my_project, got null'],
    [
      'an unknown key',
      { project: 'p', online_stor: {} },
      "feature_store.yaml: unknown key 'online_stor'; known keys: project, provider, registry, offline_store, online_store, entity_key_serialization_version, batch_engine, feature_server, coerce_tz_aware, auth, project_description, materialization, materialization_config, flags, openlineage, mlflow, data_quality_monitoring, embedding_model, repo_path",
    ],
    [
      'an unknown registry key',
      { project: 'p', registry: { path: 'r.json', ttl: 5 } },
      "feature_store.yaml: unknown key 'registry.ttl'; known keys: path, registry_type, cache_ttl_seconds, cache_mode, purge_feast_metadata, enable_online_feature_view_versioning",
    ],
    [
      'an unknown offline store key',
      { project: 'p', offline_store: { type: 'duckdb', threads: 4 } },
      "feature_store.yaml: unknown key 'offline_store.threads'; known keys: type",
    ],
    [
      'an unknown online store key',
      { project: 'p', online_store: { type: 'memory', path: 'x' } },
      "feature_store.yaml: unknown key 'online_store.path'; known keys: type",
    ],
    [
      'a key of another online store',
      { project: 'p', online_store: { connection_string: 'x' } },
      "feature_store.yaml: unknown key 'online_store.connection_string'; known keys: type, path",
    ],
    ['no project', {}, "feature_store.yaml: project: expected a name of letters, digits and '_', got null"],
    [
      'a project name that is not one',
      { project: 'my-project' },
      'feature_store.yaml: project: expected a name of letters, digits and \'_\', got "my-project"',
    ],
    ['another provider', { project: 'p', provider: 'gcp' }, 'feature_store.yaml: provider: expected \'local\' (the only provider), got "gcp"'],
    [
      'another key serialization',
      { project: 'p', entity_key_serialization_version: 2 },
      "feature_store.yaml: entity_key_serialization_version: expected 3 (feast-edge reads and writes entity keys in serialization v3 only, Feast's default since 0.38; to migrate, set it to 3 and run `feast apply` and `feast materialize` again: keys written in v2 are not found), got 2",
    ],
    ['a tz flag that is not a boolean', { project: 'p', coerce_tz_aware: 'yes' }, 'feature_store.yaml: coerce_tz_aware: expected true or false, got "yes"'],
    ['a registry that is a number', { project: 'p', registry: 5 }, 'feature_store.yaml: registry: expected a path, or { path, cache_ttl_seconds }, got 5'],
    ['a registry path that is not a string', { project: 'p', registry: { path: 7 } }, 'feature_store.yaml: registry.path: expected a file path, got 7'],
    [
      'another registry type',
      { project: 'p', registry: { registry_type: 'sql' } },
      "feature_store.yaml: registry.registry_type: expected 'file' (feast-edge reads a registry file, Feast's registry.db or its own .json; sql, snowflake.registry and remote registries are not read), got \"sql\"",
    ],
    [
      'a remote registry',
      { project: 'p', registry: 'gs://bucket/registry.db' },
      'feature_store.yaml: registry.path: expected a local file path (remote registries are not supported on Node yet), got "gs://bucket/registry.db"',
    ],
    [
      'a negative cache ttl',
      { project: 'p', registry: { cache_ttl_seconds: -1 } },
      'feature_store.yaml: registry.cache_ttl_seconds: expected a number of seconds >= 0, got -1',
    ],
    [
      'another cache mode',
      { project: 'p', registry: { cache_mode: 'async' } },
      "feature_store.yaml: registry.cache_mode: expected 'sync' or 'thread', got \"async\"",
    ],
    [
      'an offline store that is a list',
      { project: 'p', offline_store: [1] },
      'feature_store.yaml: offline_store: expected a type name or { type, ... }, got [1]',
    ],
    ['an offline type that is not a string', { project: 'p', offline_store: { type: 3 } }, 'feature_store.yaml: offline_store.type: expected a string, got 3'],
    [
      'an unknown offline store',
      { project: 'p', offline_store: 'spark' },
      'feature_store.yaml: offline_store.type: expected one of duckdb, file, dask, duckdb-native, duckdb-wasm (feast-edge reads Parquet and CSV file sources with DuckDB; other offline stores are not read), got "spark"',
    ],
    [
      'an unknown online store',
      { project: 'p', online_store: { type: 'dynamodb' } },
      'feature_store.yaml: online_store.type: expected one of lmdb, memory, redis, sqlite, cloudflare_kv, deno_kv (Feast\'s other online stores are not read by feast-edge), got "dynamodb"',
    ],
    [
      "Feast's remote online store",
      { project: 'p', online_store: { type: 'remote', path: 'http://localhost:6566' } },
      "feature_store.yaml: online_store.type: 'remote' is Feast's client of a feature server, and feast-edge is the server: give feast-edge the real store (sqlite or redis) and point Feast's remote store at `feast-edge serve`",
    ],
    [
      'an auth type Feast lacks',
      { project: 'p', auth: { type: 'ldap' } },
      'feature_store.yaml: auth.type: expected one of no_auth, kubernetes, oidc (Feast\'s auth types), got "ldap"',
    ],
    [
      'versioned online tables',
      { project: 'p', registry: { path: 'data/registry.db', enable_online_feature_view_versioning: true } },
      'feature_store.yaml: registry.enable_online_feature_view_versioning: expected false (feast-edge reads and writes the unversioned online tables, <project>_<view>), got true',
    ],
    [
      'a batch size of no rows',
      { project: 'p', materialization: { online_write_batch_size: 0 } },
      'feature_store.yaml: materialization.online_write_batch_size: expected a whole number of rows > 0, got 0',
    ],
    ['an online type that is not a string', { project: 'p', online_store: { type: 3 } }, 'feature_store.yaml: online_store.type: expected a string, got 3'],
    ['an online store that is a number', { project: 'p', online_store: 3 }, 'feature_store.yaml: online_store: expected a type name or { type, ... }, got 3'],
    [
      'an LMDB path that is not a string',
      { project: 'p', online_store: { type: 'lmdb', path: false } },
      'feature_store.yaml: online_store.path: expected a file path, got false',
    ],
    [
      'a redis store with no connection',
      { project: 'p', online_store: { type: 'redis' } },
      `feature_store.yaml: online_store.connection_string: expected ${REDIS} (required for type redis), got null`,
    ],
    [
      'a blank connection',
      redis({ connection_string: ' ' }),
      `feature_store.yaml: online_store.connection_string: expected ${REDIS} (required for type redis), got " "`,
    ],
    [
      'a sentinel',
      redis({ redis_type: 'redis_sentinel' }),
      "feature_store.yaml: online_store.redis_type: expected 'redis' or 'redis_cluster' (redis_sentinel is not supported), got \"redis_sentinel\"",
    ],
    [
      'a fractional key ttl',
      redis({ key_ttl_seconds: 1.5 }),
      'feature_store.yaml: online_store.key_ttl_seconds: expected a whole number of seconds >= 0 (0 or absent: keys never expire), got 1.5',
    ],
    [
      'a key prefix that is not a string',
      redis({ key_prefix: 5 }),
      'feature_store.yaml: online_store.key_prefix: expected a string put before every key, got 5',
    ],
    [
      'a scan flag that is not a boolean',
      redis({ full_scan_for_deletion: 'no' }),
      'feature_store.yaml: online_store.full_scan_for_deletion: expected true or false, got "no"',
    ],
    [
      'a host that is not one',
      redis({ connection_string: 'a b:1' }),
      `feature_store.yaml: online_store.connection_string: expected ${REDIS}; 'a b:1' is not host:port, got "a b:1"`,
    ],
    [
      'an unknown parameter, with the password masked',
      redis({ connection_string: 'h:1,password=secret,tls=1' }),
      'feature_store.yaml: online_store.connection_string: expected parameters among password, username, ssl, db, skip_full_coverage_check; \'tls\' is not one, got "h:1,password=***,tls=1"',
    ],
    ['no host', redis({ connection_string: 'db=1' }), `feature_store.yaml: online_store.connection_string: expected ${REDIS}; no host:port given, got "db=1"`],
    [
      'an ssl flag that is not one',
      redis({ connection_string: 'h:1,ssl=yes' }),
      'feature_store.yaml: online_store.connection_string: expected ssl=true or ssl=false, got "h:1,ssl=yes"',
    ],
    [
      'a db that is not a number',
      redis({ connection_string: 'h:1,db=x' }),
      'feature_store.yaml: online_store.connection_string: expected db=<a database number>, got "h:1,db=x"',
    ],
    [
      'two hosts for one server',
      redis({ connection_string: 'h:1,g:2' }),
      'feature_store.yaml: online_store.connection_string: expected one host:port for redis_type redis (several are root nodes of a cluster: set redis_type: redis_cluster), got "h:1,g:2"',
    ],
    [
      'a cluster at a URL',
      redis({ redis_type: 'redis_cluster', connection_string: 'redis://h:1' }),
      'feature_store.yaml: online_store.connection_string: expected root nodes as \'host1:port1,host2:port2[,password=...][,ssl=true]\' for redis_type redis_cluster, got "redis://h:1"',
    ],
    [
      'a cluster with a database',
      redis({ redis_type: 'redis_cluster', connection_string: 'h:1,db=2' }),
      'feature_store.yaml: online_store.connection_string: expected no db= other than 0 for redis_type redis_cluster (a cluster has only database 0), got "h:1,db=2"',
    ],
    [
      'a URL that does not parse, with the password masked',
      redis({ connection_string: 'redis://u:pw@[bad' }),
      `feature_store.yaml: online_store.connection_string: expected ${REDIS}, got "redis://u:***@[bad"`,
    ],
  ])('refuses %s', (_, raw, message) => {
    expect(() => parseRepoConfig(raw, '/r')).toThrow(expect.objectContaining({ name: 'FeastConfigError', message }));
  });

  it('checks the redis options it is given directly, as the store wiring calls it', () => {
    expect(() => redisOptionsOf({ type: 'redis', connection_string: 'h:1', key_prefix: 1 })).toThrow(
      'feature_store.yaml: online_store.key_prefix: expected a string put before every key, got 1',
    );
    expect(redisOptionsOf({ type: 'redis', connection_string: 'h:1,password=p w,db=2', key_prefix: 'f:', key_ttl_seconds: 60 })).toEqual({
      target: { url: 'redis://:p%20w@h:1/2' },
      keyPrefix: 'f:',
      keyTtlSeconds: 60,
    });
    expect(redisOptionsOf({ type: 'redis', redis_type: 'redis_cluster', connection_string: 'a:1,b,ssl=true,username=u' })).toEqual({
      target: { clusterNodes: ['a:1', 'b:6379'], tls: true, username: 'u' },
    });
  });
});
