import { describe, expectTypeOf, it } from 'vitest';
import {
  entity,
  featureService,
  featureView,
  field,
  Float32,
  Float64,
  type Int32,
  Int64,
  projection,
  requestSource,
  streamFeatureView,
  String as Str,
  type Entity,
  type FeastObject,
  type FeatureService,
  type Field,
  type FeatureView,
  type FeatureViewProjection,
  type ScalarType,
  type ValueOf,
} from '../../src/definitions/index.js';
import { convPlus, customerProfile, driver, driverActivity, driverStats, driverStatsSource, trips, trips2, tripsPush, valsToAdd } from './repo.js';

type NamesOf<V extends { features: readonly Field[] }> = V['features'][number]['name'];

describe('definition types', () => {
  it('keep the name and value type of a field', () => {
    expectTypeOf(field('conv_rate', Float32)).toEqualTypeOf<Field<'conv_rate', ScalarType<'Float32'>>>();
    expectTypeOf<ValueOf<typeof Int64>>().toEqualTypeOf<number | bigint>();
    expectTypeOf<ValueOf<typeof Int32>>().toEqualTypeOf<number>();
    expectTypeOf<ValueOf<(typeof driverStats.features)[number]['dtype']>>().toEqualTypeOf<number | bigint | string[]>();
  });

  it("keep an entity's name and join key, the key defaulting to the name", () => {
    expectTypeOf(driver).toEqualTypeOf<Entity<'driver', 'driver_id', ScalarType<'Int64'>>>();
    expectTypeOf(entity({ name: 'customer' })).toEqualTypeOf<Entity<'customer', 'customer', ScalarType<'Int64'>>>();
    // @ts-expect-error: an entity has exactly one join key
    entity({ name: 'e', joinKeys: ['a', 'b'] });
  });

  it('give a feature view its name, its features (join keys apart) and its join-key columns', () => {
    expectTypeOf(driverStats.name).toEqualTypeOf<'driver_hourly_stats'>();
    expectTypeOf<NamesOf<typeof driverStats>>().toEqualTypeOf<'conv_rate' | 'avg_daily_trips' | 'tags'>();
    expectTypeOf<(typeof driverStats.entityColumns)[number]>().toEqualTypeOf<Field<'driver_id', ScalarType<'Int64'>>>();
    expectTypeOf(driverStats).toExtend<FeatureView>();
    expectTypeOf(driverStats).toExtend<FeastObject>();
  });

  it('give an entity-less view no join-key columns', () => {
    const global = featureView({ name: 'global', source: driverStatsSource, schema: [field('total', Int64)] });
    expectTypeOf(global.entityColumns).toEqualTypeOf<readonly never[]>();
  });

  it('give an on-demand view its outputs, sources and request fields', () => {
    expectTypeOf(convPlus.name).toEqualTypeOf<'transformed_conv_rate'>();
    expectTypeOf<NamesOf<typeof convPlus>>().toEqualTypeOf<'conv_rate_plus_val'>();
    expectTypeOf(convPlus.sources[0].viewName).toEqualTypeOf<'driver_hourly_stats'>();
    expectTypeOf(convPlus.requestSources[0].schema[0]).toEqualTypeOf<Field<'val_to_add', ScalarType<'Int64'>>>();
    expectTypeOf(valsToAdd.name).toEqualTypeOf<'vals_to_add'>();
  });

  it("name a stream view's aggregates <fn>_<column>_<window>, typed as at run time", () => {
    expectTypeOf(trips.name).toEqualTypeOf<'driver_trips'>();
    expectTypeOf<(typeof trips.features)[number]>().toEqualTypeOf<
      | Field<'sum_fare_1h', ScalarType<'Float64'>>
      | Field<'sum_trips_3600s', ScalarType<'Int64'>>
      | Field<'count_fare_1d', ScalarType<'Int64'>>
      | Field<'max_fare', ScalarType<'Float64'>>
    >();
  });

  it('fall back to string for a window or column known only at run time', () => {
    const window: string = '1h';
    const column: string = 'fare';
    const dynamic = streamFeatureView({
      name: 'dyn',
      source: tripsPush,
      entities: [driver],
      schema: [field('fare', Float64)],
      aggregations: [
        { column: 'fare', fn: 'sum', window },
        { column, fn: 'count', window: '1h' },
      ],
    });
    expectTypeOf<NamesOf<typeof dynamic>>().toEqualTypeOf<`sum_fare_${string}` | `count_${string}_1h`>();
  });

  it('refuse an aggregation of a column the schema lacks', () => {
    streamFeatureView({
      name: 'bad',
      source: tripsPush,
      entities: [driver],
      schema: [field('fare', Float64)],
      // @ts-expect-error: 'fair' is not a schema column
      aggregations: [{ column: 'fair', fn: 'sum', window: '1h' }],
    });
    streamFeatureView({
      name: 'bad',
      source: tripsPush,
      entities: [driver],
      schema: [field('fare', Float64)],
      // @ts-expect-error: a join key is not an event column
      aggregations: [{ column: 'driver_id', fn: 'count', window: '1h' }],
    });
  });

  it("check a projection's features and join-key map against the view", () => {
    const p = projection(customerProfile, { alias: 'origin', joinKeyMap: { customer_id: 'origin_id' } });
    expectTypeOf(p).toEqualTypeOf<
      FeatureViewProjection<'customer_profile', 'current_balance' | 'last_seen', 'origin', { readonly customer_id: 'origin_id' }>
    >();
    expectTypeOf(projection(driverStats, { features: ['conv_rate'] }).features).toEqualTypeOf<readonly 'conv_rate'[]>();
    // @ts-expect-error: 'conv_rat' is not a feature of driver_hourly_stats
    projection(driverStats, { features: ['conv_rat'] });
    // @ts-expect-error: customer_id is not a join key of driver_hourly_stats
    projection(driverStats, { joinKeyMap: { customer_id: 'c' } });
  });

  it('give a feature service its name and projections', () => {
    expectTypeOf(driverActivity).toEqualTypeOf<
      FeatureService<
        'driver_activity',
        | FeatureViewProjection<'driver_hourly_stats', 'conv_rate', undefined, {}>
        | FeatureViewProjection<'transformed_conv_rate', 'conv_rate_plus_val', undefined, {}>
      >
    >();
    expectTypeOf(trips2.name).toEqualTypeOf<'origin_trips'>();
    expectTypeOf(featureService({ name: 's', features: [driverStats] })).toExtend<FeatureService>();
  });

  it('stay string-typed for definitions built from run-time names', () => {
    const name: string = 'v';
    const fields: Field[] = [field('a', Int64)];
    const view = featureView({ name, source: driverStatsSource, schema: fields });
    expectTypeOf(view).toEqualTypeOf<FeatureView<string, Field, never>>();
    expectTypeOf(requestSource({ name, schema: fields }).schema).toEqualTypeOf<readonly Field[]>();
    expectTypeOf(field(name, Str).name).toEqualTypeOf<string>();
  });
});
