/** The repo of the worker bench's large shape: two views over the historical bench's 10M-row Parquet files, served beside the page. */
import { entity, featureView, field, fileSource, Float64, Int64, project } from '../../src/definitions/index.js';

export const benchProject = project({ name: 'worker_bench_large' });
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const [statsA1, statsA2] = [1, 2].map((i) =>
  featureView({
    name: `stats_a${i}`,
    entities: [driver],
    ttl: '1d',
    source: fileSource({ name: `src_a${i}`, path: `view_a${i}.parquet`, timestampField: 'event_timestamp', createdTimestampColumn: 'created' }),
    schema: [field('f1', Float64), field('f2', Float64), field('f3', Int64)],
  }),
);
