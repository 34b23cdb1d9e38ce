/**
 * feast-edge's store over one of the fixture repos as Feast left it when wire.jsonl was
 * recorded: Feast's registry after `feast materialize` (registry-after-materialize.db,
 * holding the materialization intervals that /materialize-incremental starts from),
 * Feast's SQLite online store right after that materialize (online_store.db), and the
 * repo's Parquet sources, all copied to a temporary folder that pushes and writes may change.
 *
 * The repos' on-demand views are Python (quickstart: pandas; rich: python and pandas).
 * feast-edge runs TypeScript: the same views are given here as code, an onDemandFeatureView
 * with the view's name, sources and schema in `definitions`, which the store runs in place
 * of the Python it cannot. (A repo can supply such transforms itself: another issue.)
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entity, featureView, field, fileSource, Float64, Int64, onDemandFeatureView, requestSource } from '../../src/definitions/index.js';
import type { FeastObject } from '../../src/definitions/index.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { FeastRegistryFileStore } from '../../src/runtime/node/feast-registry-file-store.js';
import { nodeSourceLoader } from '../../src/runtime/node/node-source-loader.js';
import { openFeastSqliteOnlineStore } from '../../src/runtime/node/sqlite/feast-sqlite-file.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { fixturePath, type Repo } from './online-fixtures.js';

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
/** Stands for a view the transforms read: only its name and the features they use matter. */
const sourceView = (name: string, features: string[]) =>
  featureView({
    name,
    entities: [driver],
    source: fileSource({ name: `${name}_code`, path: 'unused.parquet', timestampField: 'event_timestamp' }),
    schema: features.map((f) => field(f, Float64)),
  });
const plus = (a: unknown, b: unknown) => (a === null || a === undefined || b === null || b === undefined ? null : Number(a) + Number(b));
const times = (a: unknown, b: unknown) => (a === null || a === undefined || b === null || b === undefined ? null : Number(a) * Number(b));

/** quickstart's `transformed_conv_rate(_fresh)`: conv_rate + val_to_add, conv_rate + val_to_add_2 (pandas, column by column). */
function quickstartTransforms(): FeastObject[] {
  const vals = requestSource({ name: 'vals_to_add', schema: [field('val_to_add', Int64), field('val_to_add_2', Int64)] });
  return [
    ['transformed_conv_rate', 'driver_hourly_stats'],
    ['transformed_conv_rate_fresh', 'driver_hourly_stats_fresh'],
  ].map(([name, view]) =>
    onDemandFeatureView({
      name,
      sources: [sourceView(view, ['conv_rate']), vals],
      schema: [field('conv_rate_plus_val1', Float64), field('conv_rate_plus_val2', Float64)],
      transformColumns: (c) => ({
        conv_rate_plus_val1: Array.from(c.conv_rate, (x, i) => plus(x, c.val_to_add[i])),
        conv_rate_plus_val2: Array.from(c.conv_rate, (x, i) => plus(x, c.val_to_add_2[i])),
      }),
    }),
  );
}

/** rich's `driver_adjustments` (python mode) and `request_only` (pandas). */
function richTransforms(): FeastObject[] {
  const vals = requestSource({ name: 'request_vals', schema: [field('val_to_add', Int64), field('multiplier', Float64)] });
  return [
    onDemandFeatureView({
      name: 'driver_adjustments',
      sources: [sourceView('driver_stats', ['conv_rate', 'avg_daily_trips']), vals],
      schema: [field('conv_rate_plus_val', Float64), field('trips_scaled', Float64)],
      transform: (r) => ({ conv_rate_plus_val: plus(r.conv_rate, r.val_to_add), trips_scaled: times(r.avg_daily_trips, r.multiplier) }),
    }),
    onDemandFeatureView({
      name: 'request_only',
      sources: [vals],
      schema: [field('val_times_multiplier', Float64)],
      transform: (r) => ({ val_times_multiplier: times(r.val_to_add, r.multiplier) }),
    }),
  ];
}

export interface FeastRepoStore {
  readonly store: FeatureStore;
  /** The temporary copy of the repo. */
  readonly dir: string;
  close(): Promise<void>;
}

/** A store over a fresh copy of the fixture repo `repo`. */
export async function openFeastRepoStore(repo: Repo): Promise<FeastRepoStore> {
  const dir = mkdtempSync(join(tmpdir(), `feast-edge-${repo}-`));
  cpSync(fixturePath(repo, 'data'), join(dir, 'data'), { recursive: true });
  cpSync(fixturePath(repo, 'registry-after-materialize.db'), join(dir, 'data', 'registry.db'));
  cpSync(fixturePath(repo, 'online_store.db'), join(dir, 'data', 'online_store.db'));
  const store = createFeatureStore({
    project: repo,
    registry: new FeastRegistryFileStore(join(dir, 'data', 'registry.db')),
    onlineStore: await openFeastSqliteOnlineStore(join(dir, 'data', 'online_store.db')),
    offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine(), sources: nodeSourceLoader(dir) }),
    definitions: repo === 'quickstart' ? quickstartTransforms() : richTransforms(),
  });
  return {
    store,
    dir,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
