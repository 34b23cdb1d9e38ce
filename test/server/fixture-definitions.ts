/**
 * The feature repo every server deployment is tested with (Node, workerd, Deno, the
 * Service Worker): Feast's driver example, small enough to bundle anywhere.
 */
import {
  entity,
  featureService,
  featureView,
  field,
  fileSource,
  Float64,
  Int64,
  onDemandFeatureView,
  pushSource,
  requestSource,
  String as Str,
} from '../../src/index.js';

export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const driverStatsSource = fileSource({ name: 'driver_stats_source', path: 'data/driver_stats.parquet', timestampField: 'event_timestamp' });
export const driverStatsPush = pushSource({ name: 'driver_stats_push_source', batchSource: driverStatsSource });
// ttl 0: no read-time expiry, so answers do not depend on the day the tests run.
export const driverStats = featureView({
  name: 'driver_hourly_stats',
  entities: [driver],
  ttl: '0s',
  source: driverStatsPush,
  schema: [field('conv_rate', Float64), field('acc_rate', Float64), field('avg_daily_trips', Int64), field('label', Str)],
});
export const valsToAdd = requestSource({ name: 'vals_to_add', schema: [field('val_to_add', Int64)] });
export const transformedConvRate = onDemandFeatureView({
  name: 'transformed_conv_rate',
  sources: [driverStats, valsToAdd],
  schema: [field('conv_rate_plus_val', Float64)],
  transform: (row) => ({ conv_rate_plus_val: (row.conv_rate as number) + (row.val_to_add as number) }),
});
export const driverActivity = featureService({ name: 'driver_activity', features: [driverStats, transformedConvRate] });

export const fixtureObjects = [driver, driverStatsPush, driverStats, valsToAdd, transformedConvRate, driverActivity];
export const FIXTURE_PROJECT = 'wire_test';
