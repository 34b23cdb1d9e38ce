/** A stream feature view for the worker's stream tests: fares per driver over one hour in 10-minute tiles, late after 30 minutes. */
import { entity, field, fileSource, Float64, Int64, project, pushSource, streamFeatureView } from '../../../src/definitions/index.js';

export const trips = project({ name: 'trips' });
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const tripsSource = fileSource({ name: 'trips_source', path: 'trips.parquet', timestampField: 'event_timestamp' });
export const tripsPush = pushSource({ name: 'trips_push', batchSource: tripsSource });
export const fares = streamFeatureView({
  name: 'fares',
  source: tripsPush,
  entities: [driver],
  schema: [field('fare', Float64)],
  allowedLateness: '30m',
  aggregations: [
    { column: 'fare', fn: 'sum', window: '1h', slide: '10m' },
    { column: 'fare', fn: 'count', window: '1h', slide: '10m' },
    { column: 'fare', fn: 'last', window: '1h', slide: '10m' },
  ],
});
