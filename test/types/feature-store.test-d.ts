import { describe, expectTypeOf, it } from 'vitest';
import type { FeastObject } from '../../src/definitions/index.js';
import type { OnlineResponse } from '../../src/online/online-response.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureStore, FeatureStore } from '../../src/store/feature-store.js';
import type { FeatureRef } from '../../src/store/feature-refs.js';
import type { OnlineFeaturesRequest } from '../../src/store/online-retrieval.js';
import { convPlus, definitions, driverActivity, driverStats } from './repo.js';

const registry = new MemoryRegistryStore();
const store = createFeatureStore({ project: 'p', registry, definitions });
const entityRows = [{ driver_id: 1001 }];

describe('a store typed by its definitions', () => {
  it('knows every view:feature reference', () => {
    expectTypeOf<FeatureRef<(typeof definitions)[number]>>().toEqualTypeOf<
      | 'driver_hourly_stats:conv_rate'
      | 'driver_hourly_stats:avg_daily_trips'
      | 'driver_hourly_stats:tags'
      | 'customer_profile:current_balance'
      | 'customer_profile:last_seen'
      | 'transformed_conv_rate:conv_rate_plus_val'
      | 'driver_trips:sum_fare_1h'
      | 'driver_trips:sum_trips_3600s'
      | 'driver_trips:count_fare_1d'
      | 'driver_trips:max_fare'
    >();
  });

  it('types toDict() with the join keys and features', async () => {
    const response = await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:tags'], entityRows });
    expectTypeOf(response.toDict()).toEqualTypeOf<{ driver_id: (number | bigint)[]; conv_rate: (number | null)[]; tags: (string[] | null)[] }>();
    expectTypeOf(response.toRows()).toEqualTypeOf<{ driver_id: number | bigint; conv_rate: number | null; tags: string[] | null }[]>();
  });

  it('names columns view__feature with fullFeatureNames', async () => {
    const response = await store.getOnlineFeatures({ features: ['driver_trips:sum_fare_1h'], entityRows, fullFeatureNames: true });
    expectTypeOf(response.toDict()).toEqualTypeOf<{ driver_id: (number | bigint)[]; driver_trips__sum_fare_1h: (number | null)[] }>();
  });

  it("gives an on-demand view its sources' join keys and its request data", async () => {
    const response = await store.getOnlineFeatures({ features: ['transformed_conv_rate:conv_rate_plus_val'], entityRows: [{ driver_id: 1, val_to_add: 2 }] });
    expectTypeOf(response.toDict()).toEqualTypeOf<{ driver_id: (number | bigint)[]; val_to_add: (number | bigint | null)[]; conv_rate_plus_val: unknown[] }>();
  });

  it("types a feature service's columns, by name or by object, aliases and join-key maps applied", async () => {
    const byName = await store.getOnlineFeatures({ featureService: 'driver_activity', entityRows: [{ driver_id: 1, val_to_add: 2 }] });
    expectTypeOf(byName.toDict()).toEqualTypeOf<{
      driver_id: (number | bigint)[];
      val_to_add: (number | bigint | null)[];
      conv_rate: (number | null)[];
      conv_rate_plus_val: unknown[];
    }>();
    const byObject = await store.getOnlineFeatures({ featureService: driverActivity, entityRows: [{ driver_id: 1, val_to_add: 2 }] });
    expectTypeOf(byObject.toDict()).toEqualTypeOf(byName.toDict());
    const mapped = await store.getOnlineFeatures({ featureService: 'origin_trips', entityRows: [{ origin_id: 'c1', driver_id: 1 }], fullFeatureNames: true });
    expectTypeOf(mapped.toDict()).toEqualTypeOf<{
      origin_id: string[];
      driver_id: (number | bigint)[];
      origin__current_balance: (number | null)[];
      origin__last_seen: (Date | null)[];
      driver_trips__sum_fare_1h: (number | null)[];
      driver_trips__sum_trips_3600s: (number | bigint | null)[];
      driver_trips__count_fare_1d: (number | bigint | null)[];
      driver_trips__max_fare: (number | null)[];
    }>();
  });

  it('refuses a misspelt view, feature or service at compile time', () => {
    // @ts-expect-error: no feature 'conv_rat' in driver_hourly_stats
    void store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rat'], entityRows });
    // @ts-expect-error: no view 'driver_stats'
    void store.getOnlineFeatures({ features: ['driver_stats:conv_rate'], entityRows });
    // @ts-expect-error: no service 'driver_activty'
    void store.getOnlineFeatures({ featureService: 'driver_activty', entityRows });
    // @ts-expect-error: the same check for historical retrieval
    void store.getHistoricalFeatures({ entityDf: [], features: ['driver_hourly_stats:conv_rat'] });
    // @ts-expect-error: and its feature services
    void store.getHistoricalFeatures({ entityDf: [], featureService: 'nope' });
    void store.getHistoricalFeatures({ entityDf: [], features: ['driver_hourly_stats:conv_rate', 'driver_trips:max_fare'] });
  });

  it('takes a feature list built at run time, answered as an open record', async () => {
    const features: string[] = ['driver_hourly_stats:conv_rate'];
    const response = await store.getOnlineFeatures({ features, entityRows });
    expectTypeOf(response).toEqualTypeOf<OnlineResponse<Record<string, unknown>>>();
    expectTypeOf(response.toDict()).toEqualTypeOf<{ [x: string]: unknown[] }>();
    const service: string = 'driver_activity';
    expectTypeOf(await store.getOnlineFeatures({ featureService: service, entityRows })).toEqualTypeOf<OnlineResponse>();
    const request: OnlineFeaturesRequest = { features, entityRows };
    expectTypeOf(await store.getOnlineFeatures(request)).toEqualTypeOf<OnlineResponse>();
    const fullFeatureNames = features.length > 1;
    expectTypeOf(await store.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entityRows, fullFeatureNames })).toEqualTypeOf<OnlineResponse>();
  });

  it('leaves the record open where a source view is missing from the definitions', async () => {
    const partial = createFeatureStore({ project: 'p', registry, definitions: [convPlus] as const });
    const response = await partial.getOnlineFeatures({ features: ['transformed_conv_rate:conv_rate_plus_val'], entityRows });
    expectTypeOf(response.toDict()).toEqualTypeOf<{ [x: string]: unknown[]; val_to_add: (number | bigint | null)[]; conv_rate_plus_val: unknown[] }>();
    // @ts-expect-error: the tuple is the whole repo: driver_hourly_stats is not in it
    void partial.getOnlineFeatures({ features: ['driver_hourly_stats:conv_rate'], entityRows });
  });

  it('is still a FeatureStore', () => {
    expectTypeOf(store).toExtend<FeatureStore>();
  });
});

describe('an untyped store', () => {
  it('comes from definitions that are not a tuple, or none', () => {
    const list: FeastObject[] = [...definitions];
    expectTypeOf(createFeatureStore({ project: 'p', registry, definitions: list })).toEqualTypeOf<FeatureStore>();
    expectTypeOf(createFeatureStore({ project: 'p', registry, definitions: [convPlus] })).toEqualTypeOf<FeatureStore>();
    expectTypeOf(createFeatureStore({ project: 'p', registry })).toEqualTypeOf<FeatureStore>();
    expectTypeOf(new FeatureStore({ project: 'p', registry, definitions })).toEqualTypeOf<FeatureStore>();
  });

  it('takes any reference and answers an open record', async () => {
    const untyped = createFeatureStore({ project: 'p', registry });
    const response = await untyped.getOnlineFeatures({ features: ['anything:at_all'], entityRows });
    expectTypeOf(response.toDict()).toEqualTypeOf<{ [x: string]: unknown[] }>();
    void untyped.getOnlineFeatures({ featureService: 'whatever', entityRows });
    void driverStats;
  });
});
