/**
 * The repo issue 14 reproduces its findings with: the one `feast-edge init` makes, plus a
 * view `typed` keyed by a String `user_id` with one feature of each value type (Int32,
 * Int64, Float32, Float64, String, Bool, UnixTimestamp, Array(Int64)) and a push source
 * over it. Shared by the reliability tests (bad writes, the write entry points, the fuzz suite).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Array as Arr,
  Bool,
  entity,
  featureView,
  field,
  fileSource,
  Float32,
  Float64,
  Int32,
  Int64,
  pushSource,
  streamFeatureView,
  String as Str,
  UnixTimestamp,
} from '../../src/definitions/index.js';
import { initRepo } from '../../src/cli/init/init-repo.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { openFeatureStore } from '../../src/runtime/node/open-feature-store.js';
import type { FeatureStore } from '../../src/store/feature-store.js';

export const TYPED_FEATURES = ['f_int32', 'f_int64', 'f_float32', 'f_float64', 'f_string', 'f_bool', 'f_ts', 'f_list'] as const;

/** The typed view, its entity, its file source at `path` (relative to the repo) and its push source `typed_push`. */
export function typedDefinitions(path: string) {
  const user = entity({ name: 'user', joinKeys: ['user_id'], valueType: Str });
  const source = fileSource({ name: 'typed_src', path, timestampField: 'event_timestamp' });
  const push = pushSource({ name: 'typed_push', batchSource: source });
  const typed = featureView({
    name: 'typed',
    entities: [user],
    ttl: 0,
    source: push,
    schema: [
      field('f_int32', Int32),
      field('f_int64', Int64),
      field('f_float32', Float32),
      field('f_float64', Float64),
      field('f_string', Str),
      field('f_bool', Bool),
      field('f_ts', UnixTimestamp),
      field('f_list', Arr(Int64)),
    ],
  });
  return { user, source, push, typed, objects: [user, source, push, typed] as const };
}

/**
 * A stream view over the typed source, fed by its own push source `typed_events_push`
 * (so pushes to `typed_push` stay online-only by default): what ingest and a
 * /write-to-online-store to a stream view write through.
 */
export function typedStreamDefinitions({ user, source }: Pick<ReturnType<typeof typedDefinitions>, 'user' | 'source'>) {
  const events = pushSource({ name: 'typed_events_push', batchSource: source });
  const stream = streamFeatureView({
    name: 'typed_stream',
    source: events,
    entities: [user],
    schema: [field('f_int32', Int32), field('f_float64', Float64)],
    aggregations: [{ column: 'f_int32', fn: 'sum', window: '1h' }],
  });
  return { events, stream, objects: [events, stream] as const };
}

/** A valid event of the typed stream view for `userId`, with `changes` applied. */
export const typedEvent = (userId: string, changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  user_id: userId,
  event_timestamp: TYPED_AT,
  f_int32: 1,
  f_float64: 0.25,
  ...changes,
});

export const TYPED_AT = '2021-01-02T00:00:00Z';

/** A valid row of the typed view for `userId`, with `changes` applied. */
export const typedRow = (userId: string, changes: Record<string, unknown> = {}): Record<string, unknown> => ({
  user_id: userId,
  event_timestamp: TYPED_AT,
  f_int32: 1,
  f_int64: 2,
  f_float32: 0.5,
  f_float64: 0.25,
  f_string: 'x',
  f_bool: true,
  f_ts: '2021-01-01T00:00:00Z',
  f_list: [1, 2],
  ...changes,
});

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
