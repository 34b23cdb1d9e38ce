import * as v from 'valibot';
import { expected, mapping, type Message, type Shown } from '../../definitions/schema-issue.js';
import type { NodeEngineChoice } from './duckdb/engine.js';
import { strictKeys as keys } from './repo-config-keys.js';
import { cloudflareKvOnlineStore, denoKvOnlineStore } from './repo-config-kv.js';
import { redisOnlineStore } from './repo-config-redis.js';

/*
 * feature_store.yaml as valibot checks it: every key Feast's RepoConfig knows is accepted
 * or refused with one line saying what feast-edge does instead (repo-config-notes.ts
 * words the accepted ones that feast-edge treats its own way); an unknown key is refused
 * with the known ones named, as it is most often a misspelt known one.
 */

/** YAML's word for nothing is null. */
const shown: Shown = (got) => JSON.stringify(got ?? null);
const expect = (what: string) => expected(what, shown);

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
/** Feast's SqliteOnlineStoreConfig default (`feast init` writes data/online_store.db explicitly). */
export const DEFAULT_SQLITE_PATH = 'data/online.db';
const FILE_PATH = v.string(expect('a file path'));
const REMOTE = /^[a-z][a-z0-9+.-]*:\/\//i;
const CACHE_TTL = expect('a number of seconds >= 0');
const BOOLEAN = v.boolean(expect('true or false'));
const anything = v.optional(v.unknown());

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
    registry_type: v.optional(
      v.literal(
        'file',
        expect("'file' (feast-edge reads a registry file, Feast's registry.db or its own .json; sql, snowflake.registry and remote registries are not read)"),
      ),
    ),
    cache_ttl_seconds: v.optional(v.pipe(v.number(CACHE_TTL), v.minValue(0, CACHE_TTL)), 0),
    cache_mode: v.optional(v.picklist(['sync', 'thread'], expect("'sync' or 'thread'"))),
    // Feast's SQL registry's; nothing to purge in a file.
    purge_feast_metadata: v.optional(BOOLEAN),
    enable_online_feature_view_versioning: v.optional(
      v.literal(false, expect('false (feast-edge reads and writes the unversioned online tables, <project>_<view>)')),
    ),
  }),
);

/** Feast's file (dask) and DuckDB offline stores read the same files feast-edge reads with DuckDB. */
export const OFFLINE_TYPES: Readonly<Record<string, NodeEngineChoice>> = {
  duckdb: 'auto',
  file: 'auto',
  dask: 'auto',
  'duckdb-native': 'duckdb-native',
  'duckdb-wasm': 'duckdb-wasm',
};
const STORE = expect('a type name or { type, ... }');
const TYPE = v.string(expect('a string'));

const offlineStore = v.pipe(
  shortFor('type', STORE),
  keys({
    type: v.optional(
      v.pipe(
        TYPE,
        v.picklist(
          Object.keys(OFFLINE_TYPES),
          expect(
            `one of ${Object.keys(OFFLINE_TYPES).join(', ')} (feast-edge reads Parquet and CSV file sources with DuckDB; other offline stores are not read)`,
          ),
        ),
      ),
      'duckdb',
    ),
  }),
);

const REMOTE_ONLINE =
  "'remote' is Feast's client of a feature server, and feast-edge is the server: give feast-edge the real store (sqlite or redis) and point Feast's remote store at `feast-edge serve`";

const sqliteOnlineStore = keys({
  type: v.literal('sqlite', expect("'sqlite'")),
  path: v.optional(FILE_PATH, DEFAULT_SQLITE_PATH),
  // Vector and text search settings: accepted; feast-edge serves no search (repo-config-notes.ts says so).
  vector_enabled: v.optional(BOOLEAN),
  vector_len: anything,
  similarity: anything,
  text_search_enabled: v.optional(BOOLEAN),
  enable_openai_compatible_store: v.optional(BOOLEAN),
});

export const ONLINE_TYPES = ['lmdb', 'memory', 'redis', 'sqlite', 'cloudflare_kv', 'deno_kv'] as const;

export const onlineStore = v.pipe(
  shortFor('type', STORE),
  v.looseObject({ type: v.optional(TYPE, 'lmdb') }),
  v.forward(
    v.check((store) => store.type !== 'remote', REMOTE_ONLINE),
    ['type'],
  ),
  v.variant(
    'type',
    [
      keys({ type: v.literal('lmdb', expect("'lmdb'")), path: v.optional(FILE_PATH, DEFAULT_LMDB_PATH) }),
      keys({ type: v.literal('memory', expect("'memory'")) }),
      redisOnlineStore,
      sqliteOnlineStore,
      cloudflareKvOnlineStore,
      denoKvOnlineStore,
    ],
    expect(`one of ${ONLINE_TYPES.join(', ')} (Feast's other online stores are not read by feast-edge)`),
  ),
);

const auth = v.pipe(
  shortFor('type', expect('a type name or { type, ... }')),
  v.looseObject({ type: v.picklist(['no_auth', 'kubernetes', 'oidc'], expect("one of no_auth, kubernetes, oidc (Feast's auth types)")) }),
);

const BATCH_SIZE = expect('a whole number of rows > 0');
const materialization = v.pipe(
  mapping(expect('a mapping such as { pull_latest_features: false }')),
  keys({
    pull_latest_features: v.optional(BOOLEAN),
    online_write_batch_size: v.nullish(v.pipe(v.number(BATCH_SIZE), v.integer(BATCH_SIZE), v.minValue(1, BATCH_SIZE))),
  }),
);

const PROJECT = expect("a name of letters, digits and '_'");
const KEY_VERSION = expect(
  "3 (feast-edge reads and writes entity keys in serialization v3 only, Feast's default since 0.38; to migrate, set it to 3 and run `feast apply` and `feast materialize` again: keys written in v2 are not found)",
);

/** feature_store.yaml, parsed from YAML. */
export const repoConfigFile = v.pipe(
  mapping(expect('a mapping of keys such as project: my_project')),
  keys({
    project: v.pipe(v.string(PROJECT), v.regex(/^[A-Za-z0-9_]+$/, PROJECT)),
    provider: v.optional(v.literal('local', expect("'local' (the only provider)"))),
    registry: v.nullish(registry, {}),
    offline_store: v.nullish(offlineStore, {}),
    // Absent: Feast's default (SQLite) for a Feast registry, LMDB for feast-edge's own (parseRepoConfig).
    online_store: v.nullish(onlineStore),
    entity_key_serialization_version: v.nullish(v.literal(3, KEY_VERSION)),
    batch_engine: anything,
    feature_server: anything,
    coerce_tz_aware: v.optional(BOOLEAN),
    auth: v.nullish(auth),
    project_description: v.nullish(v.string(expect('a string'))),
    materialization: v.nullish(materialization),
    materialization_config: v.nullish(materialization),
    flags: anything,
    openlineage: anything,
    mlflow: anything,
    data_quality_monitoring: anything,
    embedding_model: anything,
    repo_path: anything,
  }),
);

export type RepoConfigFile = v.InferOutput<typeof repoConfigFile>;
