/** The definitions the type tests check against: Feast's driver example, with a stream view. */
import {
  Array as ArrayOf,
  entity,
  featureService,
  featureView,
  field,
  fileSource,
  Float32,
  Float64,
  Int64,
  onDemandFeatureView,
  projection,
  pushSource,
  requestSource,
  streamFeatureView,
  String as Str,
  UnixTimestamp,
} from '../../src/definitions/index.js';

export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const customer = entity({ name: 'customer', joinKeys: ['customer_id'], valueType: Str });
export const driverStatsSource = fileSource({ name: 'driver_stats_source', path: 'data/driver_stats.parquet' });
export const tripsPush = pushSource({ name: 'trips_push', batchSource: driverStatsSource });

export const driverStats = featureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  ttl: '1d',
  source: driverStatsSource,
  schema: [field('driver_id', Int64), field('conv_rate', Float32), field('avg_daily_trips', Int64), field('tags', ArrayOf(Str))],
});
export const customerProfile = featureView({
  name: 'customer_profile',
  entities: [customer],
  source: driverStatsSource,
  schema: [field('current_balance', Float64), field('last_seen', UnixTimestamp)],
});
export const valsToAdd = requestSource({ name: 'vals_to_add', schema: [field('val_to_add', Int64)] });
export const convPlus = onDemandFeatureView({
  name: 'transformed_conv_rate',
  sources: [driverStats, valsToAdd],
  schema: [field('conv_rate_plus_val', Float64)],
  transform: (row) => ({ conv_rate_plus_val: Number(row.conv_rate) + Number(row.val_to_add) }),
});
export const trips = streamFeatureView({
  name: 'driver_trips',
  source: tripsPush,
  entities: [driver],
  schema: [field('fare', Float64), field('trips', Int64)],
  aggregations: [
    { column: 'fare', fn: 'sum', window: '1h' },
    { column: 'trips', fn: 'sum', window: 3600 },
    { column: 'fare', fn: 'count', window: '1D' },
    { column: 'fare', fn: 'max', window: '10m', name: 'max_fare' },
  ],
});
export const driverActivity = featureService({
  name: 'driver_activity',
  features: [projection(driverStats, { features: ['conv_rate'] }), convPlus],
});
export const trips2 = featureService({
  name: 'origin_trips',
  features: [projection(customerProfile, { alias: 'origin', joinKeyMap: { customer_id: 'origin_id' } }), trips],
});

export const definitions = [driver, customer, driverStatsSource, driverStats, customerProfile, valsToAdd, convPlus, trips, driverActivity, trips2] as const;
