import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { featureView, field, Float64, Int64, String as Str } from '../../src/index.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureServer } from '../../src/server/feature-server.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { driver, driverStatsPush, FIXTURE_PROJECT, fixtureObjects } from './fixture-definitions.js';

const ask = (app: Hono, feature: string) =>
  app.request('/get-online-features', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ features: [`driver_hourly_stats:${feature}`], entities: { driver_id: [1] } }),
  });
const withSpeed = featureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  ttl: '0s',
  source: driverStatsPush,
  schema: [field('conv_rate', Float64), field('acc_rate', Float64), field('avg_daily_trips', Int64), field('label', Str), field('speed', Float64)],
});

describe("the server's registry ttl", () => {
  it('is per server: two servers over one store keep their own, and the store keeps its own', async () => {
    const registry = new MemoryRegistryStore();
    const store = createFeatureStore({ project: FIXTURE_PROJECT, registry, definitions: fixtureObjects });
    await store.apply(fixtureObjects);
    const fresh = createFeatureServer(store, { registryTtlSeconds: 0 });
    // Created last: when a server set the store's ttl, this one's hour held for everyone.
    const cached = createFeatureServer(store, { registryTtlSeconds: 3600 });
    expect((await ask(cached, 'conv_rate')).status).toBe(200);

    // Another process applies a view with a new feature.
    await createFeatureStore({ project: FIXTURE_PROJECT, registry, definitions: fixtureObjects }).apply([withSpeed]);
    expect((await ask(cached, 'speed')).status).toBe(404);
    expect((await ask(fresh, 'speed')).status).toBe(200);
    // The store was created with no cache ttl and still reads the registry each time.
    const direct = await store.getOnlineFeatures({ features: ['driver_hourly_stats:speed'], entityRows: [{ driver_id: 1 }] });
    expect(direct.toWire().metadata.feature_names).toEqual(['driver_id', 'speed']);
  });

  it('is an option of each online read, not a setting of the store', async () => {
    const registry = new MemoryRegistryStore();
    const store = createFeatureStore({ project: FIXTURE_PROJECT, registry, definitions: fixtureObjects, registryCacheTtlMs: 3_600_000 });
    await store.apply(fixtureObjects);
    await createFeatureStore({ project: FIXTURE_PROJECT, registry, definitions: fixtureObjects }).apply([withSpeed]);
    const speed = { features: ['driver_hourly_stats:speed'], entityRows: [{ driver_id: 1 }] };
    await expect(store.getOnlineFeatures(speed)).rejects.toMatchObject({ name: 'FeatureNotFoundException' });
    await expect(store.getOnlineFeatures(speed, { registryMaxAgeMs: 0 })).resolves.toBeDefined();
    expect('setRegistryCacheTtl' in store).toBe(false);
  });
});
