import { FIXED_CUSTOMER_TIME, FIXED_DRIVER_TIME } from './sample-data.js';

/**
 * The example repo `feast-edge init` writes: Feast's driver/customer quickstart in
 * feast-edge's TypeScript API. Kept as strings so the built CLI carries them.
 */
export const FEATURE_STORE_YAML = `# feast-edge reads Feast's keys where they apply; an unknown key is an error, not ignored.
project: driver_ranking
provider: local
registry: data/registry.json   # one JSON document, written atomically
offline_store:
  type: duckdb        # native DuckDB when it loads, else DuckDB-WASM (or force duckdb-native / duckdb-wasm)
online_store:
  type: lmdb          # a file under data/; 'memory' keeps nothing between runs
entity_key_serialization_version: 3
`;

export const DEFINITIONS_TS = `// Feature definitions. \`feast-edge apply\` imports every module of this folder and
// registers what they export; an export you delete is deleted from the registry too.
// Paths are relative to this folder. Types come from 'feast-edge' without an install.
import {
  entity, field, fileSource, pushSource, requestSource, featureView, onDemandFeatureView,
  featureService, projection, project, Float32, Float64, Int64,
} from 'feast-edge';

export const driverRanking = project({ name: 'driver_ranking', description: 'Driver and customer features' });

export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64, description: 'A driver' });
export const customer = entity({ name: 'customer', joinKeys: ['customer_id'], valueType: Int64 });

// Hourly driver statistics; 'created' breaks ties when a row is corrected later.
export const driverStatsSource = fileSource({
  name: 'driver_hourly_stats_source', path: 'data/driver_stats.parquet',
  timestampField: 'event_timestamp', createdTimestampColumn: 'created',
});

// ttl: how old a feature row may be at an entity row's time and still join (Feast's rule).
export const driverStats = featureView({
  name: 'driver_hourly_stats', entities: [driver], ttl: '1d', source: driverStatsSource,
  schema: [field('conv_rate', Float32), field('acc_rate', Float32), field('avg_daily_trips', Int64)],
  tags: { team: 'driver_performance' },
});

// Rows pushed at run time (POST /push, store.push) land in the same history as the batch source.
export const driverStatsPush = pushSource({ name: 'driver_stats_push_source', batchSource: driverStatsSource });

// The same features fed by the push source: a push is served online at once (as Feast's
// quickstart's driver_hourly_stats_fresh); materialize fills it from the push source's batch source.
export const driverStatsFresh = featureView({
  name: 'driver_hourly_stats_fresh', entities: [driver], ttl: '1d', source: driverStatsPush,
  schema: [field('conv_rate', Float32), field('acc_rate', Float32), field('avg_daily_trips', Int64)],
  tags: { team: 'driver_performance' },
});

export const customerProfileSource = fileSource({
  name: 'customer_profile_source', path: 'data/customer_profile.parquet', timestampField: 'event_timestamp',
});

export const customerProfile = featureView({
  name: 'customer_profile', entities: [customer], ttl: '2d', source: customerProfileSource,
  schema: [field('current_balance', Float32), field('avg_passenger_count', Float32), field('lifetime_trip_count', Int64)],
});

export const valsToAdd = requestSource({ name: 'vals_to_add', schema: [field('val_to_add', Int64)] });

// Computed at request time from a stored feature and a value sent with the request.
export const transformedConvRate = onDemandFeatureView({
  name: 'transformed_conv_rate', sources: [driverStats, valsToAdd],
  schema: [field('conv_rate_plus_val', Float64)],
  transform: (row) => ({
    conv_rate_plus_val: row.conv_rate === null ? null : Number(row.conv_rate) + Number(row.val_to_add),
  }),
});

// What one model reads: a subset of driver stats, every customer feature, and the on-demand value.
export const driverActivity = featureService({
  name: 'driver_activity',
  features: [
    projection(driverStats, { features: ['conv_rate', 'avg_daily_trips'] }),
    customerProfile,
    transformedConvRate,
  ],
});
`;

/** Entity rows of data/entity_df.csv, as offsets from the newest sample row (or a fixed time), so they join the generated data. */
export const ENTITY_ROWS: readonly { driver: number; customer: number; at: { fromNewestSeconds: number } | { fixed: string }; valToAdd: number }[] = [
  // 2 h after the corrected row of driver 1001 (3 h before the newest): the correction wins.
  { driver: 1001, customer: 2001, at: { fromNewestSeconds: -3 * 3600 + 59 * 60 + 42 }, valToAdd: 1 },
  { driver: 1002, customer: 2002, at: { fromNewestSeconds: -5 * 3600 + 12 * 60 + 10 }, valToAdd: 2 },
  // After the newest row: it still joins, within the 1-day ttl.
  { driver: 1003, customer: 2003, at: { fromNewestSeconds: 40 * 60 + 26 }, valToAdd: 3 },
  { driver: 1004, customer: 2004, at: { fromNewestSeconds: -20 * 3600 + 72 }, valToAdd: 4 },
  // Feast's quickstart time: joins the fixed older rows.
  { driver: 1001, customer: 2005, at: { fixed: '2021-04-12T10:59:42Z' }, valToAdd: 5 },
  // Unknown entities: every feature null.
  { driver: 1099, customer: 2099, at: { fromNewestSeconds: 0 }, valToAdd: 6 },
];

const iso = (at: Date) => at.toISOString().replace('.000Z', 'Z');

/** data/entity_df.csv for data whose newest row is at `newest`. */
export function entityDfCsv(newest: Date): string {
  const time = (at: (typeof ENTITY_ROWS)[number]['at']) => ('fixed' in at ? at.fixed : iso(new Date(newest.getTime() + at.fromNewestSeconds * 1000)));
  const rows = ENTITY_ROWS.map((r) => `${r.driver},${r.customer},${time(r.at)},${r.valToAdd}`);
  return `driver_id,customer_id,event_timestamp,val_to_add\n${rows.join('\n')}\n`;
}

/** The repo's README: the commands, and the formulas of the data generated with its newest row at `newest`. */
export function readmeMd(newest: Date): string {
  const at = iso(newest);
  return `# driver_ranking: a feast-edge example repo

- \`feast-edge apply\` registers the definitions in definitions.ts.
- \`feast-edge get-historical-features --entity-df data/entity_df.csv --feature-service driver_activity --output training.csv\`
  builds a point-in-time correct training set.
- \`feast-edge materialize-incremental $(date -u +%FT%T)\` loads the latest rows into the online
  store; \`feast-edge serve\` answers Feast's HTTP API on port 6566 (\`/get-online-features\`, \`/push\`).

Sample data (data/*.parquet) was generated by \`feast-edge init\` relative to the time it ran,
as Feast's quickstart does: the newest rows are at L = ${at}, so views with a one-day ttl
read PRESENT until about a day later (run \`feast-edge init\` again for fresh data).
Drivers d = 1001..1010, hours h = 0..359, event time L - (359 - h) hours:
conv_rate = ((d*31 + h*17) % 100) / 100, acc_rate = ((d*7 + h*13) % 100) / 100 (null when
(d + h) % 11 = 0), avg_daily_trips = (d + h) % 50, created = event time + 5 min; driver 1001
at h = 356 (L - 3 h) has a correction row created 10 min after the event with conv_rate 0.999.
Customers c = 2001..2010, days k = 0..14, event time L - (14 - k) days: current_balance =
(c % 100) * 10 + k, avg_passenger_count = (c + k) % 4 + 1, lifetime_trip_count = (c - 2000) + 10k.
Fixed older rows, as in Feast's quickstart: each driver at ${FIXED_DRIVER_TIME} (created 5 min
later) with conv_rate = (d % 100) / 100, acc_rate = 0.5, avg_daily_trips = d - 1000; each
customer at ${FIXED_CUSTOMER_TIME} with current_balance = c - 2000, avg_passenger_count = 1,
lifetime_trip_count = 0.
`;
}
