import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRepoConfig, parseRepoConfig, RepoConfigError } from '../../src/runtime/node/repo-config.js';

describe('feature_store.yaml', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'feast-edge-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fills Feast-like defaults around a bare project', () => {
    expect(parseRepoConfig({ project: 'p' }, '/r')).toEqual({
      repoPath: '/r',
      project: 'p',
      provider: 'local',
      registryPath: '/r/data/registry.json',
      registryFormat: 'feast-edge',
      registryCacheTtlSeconds: 0,
      offlineStore: { type: 'auto' },
      onlineStore: { type: 'lmdb', path: '/r/data/online_store.lmdb' },
      entityKeySerializationVersion: 3,
      authType: 'no_auth',
      notes: [],
    });
  });

  it("reads Feast's keys in both their short and mapping forms", () => {
    const config = parseRepoConfig(
      {
        project: 'driver_ranking',
        provider: 'local',
        registry: { registry_type: 'file', path: 'data/registry.db', cache_ttl_seconds: 60, cache_mode: 'sync' },
        offline_store: { type: 'duckdb-wasm' },
        online_store: { type: 'redis', connection_string: 'localhost:6379' },
        entity_key_serialization_version: 3,
        coerce_tz_aware: true,
      },
      '/r',
    );
    // Feast's registry.db is read and written as Feast's protobuf.
    expect(config.registryPath).toBe('/r/data/registry.db');
    expect(config.registryFormat).toBe('feast');
    expect(config.registryCacheTtlSeconds).toBe(60);
    expect(config.offlineStore.type).toBe('duckdb-wasm');
    expect(config.onlineStore).toEqual({ type: 'redis', connection_string: 'localhost:6379' });
    expect(parseRepoConfig({ project: 'p', registry: 'reg/all.json', offline_store: 'duckdb-native', online_store: 'memory' }, '/r')).toMatchObject({
      registryPath: '/r/reg/all.json',
      offlineStore: { type: 'duckdb-native' },
      onlineStore: { type: 'memory' },
    });
    expect(parseRepoConfig({ project: 'p', offline_store: { type: 'file' }, online_store: { type: 'lmdb', path: '/abs/online' } }, '/r')).toMatchObject({
      offlineStore: { type: 'auto' },
      onlineStore: { type: 'lmdb', path: '/abs/online' },
    });
  });

  it('names the unknown key and the known ones', () => {
    expect(() => parseRepoConfig({ project: 'p', online_stor: {} }, '/r')).toThrow(
      "feature_store.yaml: unknown key 'online_stor'; known keys: project, provider, registry, offline_store, online_store",
    );
    expect(() => parseRepoConfig({ project: 'p', registry: { path: 'r.json', ttl: 5 } }, '/r')).toThrow(
      /unknown key 'registry.ttl'; known keys: path, registry_type/,
    );
    expect(() => parseRepoConfig({ project: 'p', offline_store: { type: 'duckdb', threads: 4 } }, '/r')).toThrow(/unknown key 'offline_store.threads'/);
  });

  it('names the field and what was expected for a wrong value', () => {
    const cases: [unknown, RegExp][] = [
      [{}, /project: expected a name of letters, digits and '_', got null/],
      [{ project: 'my-project' }, /project: expected a name .* got "my-project"/],
      [['project'], /\(top level\): expected a mapping/],
      [null, /\(top level\): expected a mapping/],
      [{ project: 'p', provider: 'gcp' }, /provider: expected 'local' .* got "gcp"/],
      [{ project: 'p', registry: 5 }, /registry: expected a path, or \{ path, cache_ttl_seconds \}, got 5/],
      [{ project: 'p', registry: { path: 7 } }, /registry.path: expected a file path, got 7/],
      [{ project: 'p', registry: { registry_type: 'sql' } }, /registry.registry_type: expected 'file'/],
      [{ project: 'p', registry: 'gs://bucket/registry.db' }, /registry.path: expected a local file path/],
      [{ project: 'p', registry: { path: 'r.json', cache_ttl_seconds: -1 } }, /registry.cache_ttl_seconds: expected a number of seconds >= 0, got -1/],
      [
        { project: 'p', offline_store: { type: 'spark' } },
        /offline_store.type: expected one of duckdb, file, dask, duckdb-native, duckdb-wasm .*, got "spark"/,
      ],
      [{ project: 'p', offline_store: { type: 3 } }, /offline_store.type: expected a string, got 3/],
      [{ project: 'p', offline_store: [1] }, /offline_store: expected a type name or \{ type, ... \}/],
      [
        { project: 'p', online_store: { type: 'dynamodb' } },
        /online_store.type: expected one of lmdb, memory, redis, sqlite, cloudflare_kv, deno_kv .*, got "dynamodb"/,
      ],
      [{ project: 'p', online_store: { type: 'lmdb', path: false } }, /online_store.path: expected a file path, got false/],
      [{ project: 'p', entity_key_serialization_version: 2 }, /entity_key_serialization_version: expected 3/],
      [{ project: 'p', coerce_tz_aware: 'yes' }, /coerce_tz_aware: expected true or false/],
    ];
    for (const [raw, message] of cases) {
      expect(() => parseRepoConfig(raw, '/r'), JSON.stringify(raw)).toThrow(message);
      expect(() => parseRepoConfig(raw, '/r')).toThrow(RepoConfigError);
    }
  });

  it('reads the file from the repo, and says when it is missing or not YAML', async () => {
    await writeFile(join(dir, 'feature_store.yaml'), '# a comment\nproject: demo\nregistry:\n  path: data/registry.db\n');
    expect(await loadRepoConfig(dir)).toMatchObject({
      repoPath: dir,
      project: 'demo',
      registryPath: join(dir, 'data', 'registry.db'),
      registryFormat: 'feast',
    });
    await expect(loadRepoConfig(join(dir, 'none'))).rejects.toThrow(/no feature_store.yaml in .*none; run 'feast-edge init' or pass --repo/);
    await writeFile(join(dir, 'feature_store.yaml'), 'project: [unclosed\n');
    await expect(loadRepoConfig(dir)).rejects.toThrow(/^feature_store.yaml is not valid YAML: /);
    await writeFile(join(dir, 'feature_store.yaml'), 'project: a\nproject: b\n');
    await expect(loadRepoConfig(dir)).rejects.toThrow(/not valid YAML: .*unique/i);
    await writeFile(join(dir, 'feature_store.yaml'), '');
    await expect(loadRepoConfig(dir)).rejects.toThrow(/expected a mapping/);
  });

  it("opens feature_store.yaml as Feast writes it: registry.db, SQLite, auth, and Feast's defaults", () => {
    // feast init's file, word for word.
    const init = {
      project: 'quickstart',
      registry: 'data/registry.db',
      provider: 'local',
      online_store: { type: 'sqlite', path: 'data/online_store.db' },
      entity_key_serialization_version: 3,
      auth: { type: 'no_auth' },
    };
    expect(parseRepoConfig(init, '/r')).toMatchObject({
      registryPath: '/r/data/registry.db',
      registryFormat: 'feast',
      onlineStore: { type: 'sqlite', path: '/r/data/online_store.db' },
      authType: 'no_auth',
      notes: [],
    });
    // No online_store: Feast's default, SQLite at data/online.db (SqliteOnlineStoreConfig), beside a Feast registry only.
    expect(parseRepoConfig({ project: 'p', registry: 'data/registry.db' }, '/r').onlineStore).toEqual({ type: 'sqlite', path: '/r/data/online.db' });
    expect(parseRepoConfig({ project: 'p', registry: 'data/registry.json' }, '/r').onlineStore).toEqual({ type: 'lmdb', path: '/r/data/online_store.lmdb' });
    expect(parseRepoConfig({ project: 'p', registry: { registry_type: 'file', path: 'data/reg.pb' } }, '/r').registryFormat).toBe('feast');
  });

  it("accepts Feast's other keys with one note each where feast-edge does otherwise", () => {
    const config = parseRepoConfig(
      {
        project: 'p',
        project_description: 'demo',
        registry: { path: 'data/registry.db', cache_ttl_seconds: 60, purge_feast_metadata: false, enable_online_feature_view_versioning: false },
        offline_store: { type: 'dask' },
        online_store: { type: 'sqlite', vector_enabled: true, vector_len: 384 },
        auth: { type: 'oidc', client_id: 'x', auth_discovery_url: 'https://idp/.well-known' },
        batch_engine: { type: 'spark.engine' },
        feature_server: { type: 'local', enabled: true },
        coerce_tz_aware: false,
        materialization: { pull_latest_features: true, online_write_batch_size: 500 },
        flags: { alpha_features: true },
        openlineage: { enabled: false },
      },
      '/r',
    );
    expect(config.authType).toBe('oidc');
    expect(config.notes).toEqual([
      "offline_store 'dask' (Feast's dask store) runs on feast-edge's DuckDB engine (native, else WebAssembly) over the same file sources",
      'online_store: vector and text search settings are ignored; feast-edge serves no search routes',
      "auth type 'oidc' is not checked by feast-edge: `feast-edge serve` takes bearer tokens from FEAST_EDGE_READ_TOKEN / FEAST_EDGE_WRITE_TOKEN and refuses to start without one",
      'batch_engine "spark.engine" is not used: feast-edge materializes in-process with DuckDB',
      'feature_server is not read: `feast-edge serve` takes its options on the command line',
      'coerce_tz_aware: false is not followed: feast-edge reads zone-less entity timestamps as UTC',
      'online_write_batch_size 500 is not used: feast-edge writes materialized rows in batches of 10,000',
      'flags is ignored (deprecated in Feast too)',
      'openlineage is not used by feast-edge (ignored)',
    ]);
    expect(parseRepoConfig({ project: 'p', batch_engine: 'local', auth: 'no_auth' }, '/r').notes).toEqual([]);
  });
});
