import type { SqlEngine } from '../../sql/sql-engine.js';

/**
 * The example repo's data, as SQL over generated ranges so it is identical on every
 * machine and engine. The formulas are documented in the repo's README.md.
 */
export const DRIVER_STATS_SQL = `
  WITH base AS (
    SELECT d::BIGINT AS driver_id, h,
           TIMESTAMP '2021-04-10 00:00:00' + to_hours(h) AS event_timestamp
    FROM range(1001, 1011) t(d), range(0, 72) u(h)
  )
  SELECT driver_id, event_timestamp, event_timestamp + to_minutes(5) AS created,
         CAST(((driver_id * 31 + h * 17) % 100) / 100.0 AS FLOAT) AS conv_rate,
         CASE WHEN (driver_id + h) % 11 = 0 THEN NULL ELSE CAST(((driver_id * 7 + h * 13) % 100) / 100.0 AS FLOAT) END AS acc_rate,
         ((driver_id + h) % 50)::BIGINT AS avg_daily_trips
  FROM base
  UNION ALL
  SELECT 1001::BIGINT, TIMESTAMP '2021-04-12 10:00:00', TIMESTAMP '2021-04-12 10:10:00',
         CAST(0.999 AS FLOAT), CAST(((1001 * 7 + 58 * 13) % 100) / 100.0 AS FLOAT), ((1001 + 58) % 50)::BIGINT
  ORDER BY event_timestamp, driver_id`;

export const CUSTOMER_PROFILE_SQL = `
  SELECT c::BIGINT AS customer_id, TIMESTAMP '2021-04-08 00:00:00' + to_days(k) AS event_timestamp,
         CAST((c % 100) * 10 + k AS FLOAT) AS current_balance,
         CAST((c + k) % 4 + 1 AS FLOAT) AS avg_passenger_count,
         ((c - 2000) + 10 * k)::BIGINT AS lifetime_trip_count
  FROM range(2001, 2011) t(c), range(0, 5) u(k)
  ORDER BY event_timestamp, customer_id`;

export async function generateSampleData(engine: SqlEngine): Promise<{ driverStats: Uint8Array; customerProfile: Uint8Array }> {
  return {
    driverStats: await engine.export(DRIVER_STATS_SQL, 'parquet'),
    customerProfile: await engine.export(CUSTOMER_PROFILE_SQL, 'parquet'),
  };
}
