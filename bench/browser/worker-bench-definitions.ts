/** The repo the worker bench's feature store serves: one view over a 1M-row Parquet file served beside the page. */
import { entity, featureView, field, fileSource, Float64, Int64, project } from '../../src/definitions/index.js';

export const benchProject = project({ name: 'worker_bench' });
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const statsSource = fileSource({ name: 'stats_source', path: 'stats.parquet', timestampField: 'event_timestamp', createdTimestampColumn: 'created' });
export const stats = featureView({
  name: 'stats',
  entities: [driver],
  ttl: '1d',
  source: statsSource,
  schema: [field('f1', Float64), field('f2', Float64), field('f3', Int64)],
});
