import { afterAll, beforeAll, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../../src/definitions/index.js';
import { FeatureViewNotFoundException } from '../../src/errors.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';

// materialize() threw FeatureViewNotFoundException by name only, so instanceof failed there
// while getFeatureView() threw the class: the same miss must be the same class on every path.

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const stats = featureView({
  name: 'stats',
  entities: [driver],
  source: fileSource({ name: 'batch', path: 'x.parquet' }),
  schema: [field('conv_rate', Float64)],
});

let store: FeatureStore;
beforeAll(async () => {
  store = createFeatureStore({
    project: 'errors',
    registry: new MemoryRegistryStore(),
    offlineStore: createDuckDbOfflineStore({ engine: () => createNodeEngine() }),
  });
  await store.apply([driver, stats]);
});
afterAll(async () => {
  await store.close();
});

it('rejects materialize of an unknown view with the FeatureViewNotFoundException class getFeatureView rejects with', async () => {
  const fromGet = await store.getFeatureView('nope').catch((error: unknown) => error);
  const fromMaterialize = await store
    .materialize({ start: '2021-04-12T00:00:00Z', end: '2021-04-13T00:00:00Z', featureViews: ['nope'] })
    .catch((error: unknown) => error);
  expect(fromGet).toBeInstanceOf(FeatureViewNotFoundException);
  expect(fromMaterialize).toBeInstanceOf(FeatureViewNotFoundException);
  expect((fromMaterialize as Error).constructor).toBe((fromGet as Error).constructor);
  expect(fromMaterialize).toMatchObject({ name: 'FeatureViewNotFoundException', objectName: 'nope', project: 'errors', existing: ['stats'], httpStatus: 404 });
  expect((fromMaterialize as Error).message).toBe("materialize: feature view 'nope' is not in project 'errors'; valid: stats");
});
