/**
 * The repo issue 14 reproduces its findings with: the one `feast-edge init` makes, plus a
 * view `typed` keyed by a String `user_id` with one feature of each value type (Int32,
 * Int64, Float32, Float64, String, Bool, UnixTimestamp, Array(Int64)) and a push source
 * over it. Shared by the reliability tests (bad writes, the write entry points, the fuzz suite).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { typedDefinitions, typedStreamDefinitions } from './typed-definitions.js';
import { initRepo } from '../../src/cli/init/init-repo.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';
import type { FeatureStore } from '../../src/store/feature-store.js';

export * from './typed-definitions.js';

/** The typed source's data: one row for user u1 at 2021-01-01, with a value of each type. */
export async function typedParquet(): Promise<Uint8Array> {
  const engine = await createNodeEngine();
  try {
    return await engine.export(
      `SELECT 'u1' AS user_id, TIMESTAMP '2021-01-01' AS event_timestamp, 1::INTEGER AS f_int32, 2::BIGINT AS f_int64, 0.5::FLOAT AS f_float32,
      0.25::DOUBLE AS f_float64, 's' AS f_string, true AS f_bool, TIMESTAMP '2021-01-01' AS f_ts, [1, 2]::BIGINT[] AS f_list`,
      'parquet',
    );
  } finally {
    await engine.close();
  }
}

export interface TypedRepo {
  readonly repo: string;
  readonly store: FeatureStore;
  /** Closes the store and deletes the repo. */
  remove(): Promise<void>;
}

/**
 * `feast-edge init`'s repo in a new temporary folder (its online store `online`: LMDB as
 * init writes it, or memory), opened as `feast-edge` opens a repo, its definitions and
 * the typed view and a stream view over its source (typedStreamDefinitions) applied, and
 * the typed and driver_hourly_stats views materialized.
 */
export async function openTypedRepo(online: 'lmdb' | 'memory' = 'lmdb'): Promise<TypedRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'feast-edge-typed-repo-'));
  const repo = await initRepo(join(dir, 'repo'), { now: new Date('2026-01-01T00:00:00Z') });
  if (online === 'memory') {
    const yaml = join(repo, 'feature_store.yaml');
    await writeFile(yaml, (await readFile(yaml, 'utf8')).replace('type: lmdb', 'type: memory'));
  }
  await writeFile(join(repo, 'data', 'typed.parquet'), await typedParquet());
  const { store, definitions } = await openFeatureStore({ repoPath: repo });
  const typed = typedDefinitions('data/typed.parquet');
  await store.apply([...definitions, ...typed.objects, ...typedStreamDefinitions(typed).objects]);
  await store.materialize({ start: '2020-01-01T00:00:00Z', end: '2026-01-01T00:00:00Z', featureViews: ['typed', 'driver_hourly_stats'] });
  return {
    repo,
    store,
    async remove() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
