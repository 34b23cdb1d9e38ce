/**
 * A definitions module with its own project and an on-demand view named like the one in
 * Feast's quickstart (whose transform is Python): the worker must keep its TypeScript
 * transform to its own project and serve another project's registry without it.
 */
import { entity, featureView, field, fileSource, Float64, Int64, onDemandFeatureView, project, requestSource } from '../../../src/definitions/index.js';

export const own = project({ name: 'own_project' });
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const source = fileSource({ name: 'driver_hourly_stats_source', path: 'data/driver_stats.parquet', timestampField: 'event_timestamp' });
export const stats = featureView({ name: 'driver_hourly_stats', entities: [driver], source, schema: [field('conv_rate', Float64)] });
const vals = requestSource({ name: 'vals_to_add', schema: [field('val_to_add', Int64)] });
export const transformed = onDemandFeatureView({
  name: 'transformed_conv_rate',
  sources: [stats, vals],
  schema: [field('conv_rate_plus_val1', Float64)],
  transform: (row) => ({ conv_rate_plus_val1: Number(row.conv_rate) + Number(row.val_to_add) }),
});
