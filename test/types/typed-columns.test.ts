import { describe, expect, expectTypeOf, it } from 'vitest';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { definitions } from './repo.js';

/** The typed columns of a response must be the columns it has: each case checks both. */
async function typedStore() {
  const store = createFeatureStore({ project: 'typed_columns', registry: new MemoryRegistryStore(), definitions });
  await store.apply(definitions);
  const event_timestamp = new Date();
  await store.writeToOnlineStore('driver_hourly_stats', [{ driver_id: 1001, event_timestamp, conv_rate: 0.5, avg_daily_trips: 3, tags: ['a'] }]);
  await store.writeToOnlineStore('customer_profile', [{ customer_id: 'c1', event_timestamp, current_balance: 10, last_seen: event_timestamp }]);
  await store.push('trips_push', [{ driver_id: 1001, event_timestamp, fare: 12.5, trips: 1 }], { to: 'online' });
  return store;
}

describe("a typed store's response columns", () => {
  it('are the join keys, request data and features a feature service answers with', async () => {
    const store = await typedStore();
    const dict = (await store.getOnlineFeatures({ featureService: 'driver_activity', entityRows: [{ driver_id: 1001, val_to_add: 2 }] })).toDict();
    const columns = ['driver_id', 'val_to_add', 'conv_rate', 'conv_rate_plus_val'] as const;
    expectTypeOf<(typeof columns)[number]>().toEqualTypeOf<keyof typeof dict>();
    expect(Object.keys(dict)).toEqual(columns);
    expect(dict.conv_rate).toEqual([0.5]);
    expect(dict.conv_rate_plus_val).toEqual([2.5]);
  });

  it('follow aliases, join-key maps, stream aggregates and full feature names', async () => {
    const store = await typedStore();
    const dict = (
      await store.getOnlineFeatures({ featureService: 'origin_trips', entityRows: [{ origin_id: 'c1', driver_id: 1001 }], fullFeatureNames: true })
    ).toDict();
    const columns = [
      'origin_id',
      'driver_id',
      'origin__current_balance',
      'origin__last_seen',
      'driver_trips__sum_fare_1h',
      'driver_trips__sum_trips_3600s',
      'driver_trips__count_fare_1d',
      'driver_trips__max_fare',
    ] as const;
    expectTypeOf<(typeof columns)[number]>().toEqualTypeOf<keyof typeof dict>();
    expect(Object.keys(dict)).toEqual(columns);
    expect(dict.origin__current_balance).toEqual([10]);
    expect(dict.driver_trips__sum_fare_1h).toEqual([12.5]);
    expect(dict.driver_trips__count_fare_1d).toEqual([1]);
  });

  it("are the features requested by reference, with their views' join keys", async () => {
    const store = await typedStore();
    const dict = (
      await store.getOnlineFeatures({ features: ['driver_hourly_stats:tags', 'driver_trips:max_fare'], entityRows: [{ driver_id: 1001 }] })
    ).toDict();
    const columns = ['driver_id', 'tags', 'max_fare'] as const;
    expectTypeOf<(typeof columns)[number]>().toEqualTypeOf<keyof typeof dict>();
    expect(Object.keys(dict)).toEqual(columns);
    expect(dict.tags).toEqual([['a']]);
  });
});
