import type { SqlEngine } from '../../sql/sql-engine.js';

const HOUR_MS = 3_600_000;

/** Rows per driver (hourly) and per customer (daily) before the newest row: 15 days, as Feast's quickstart. */
export const DRIVER_HOURS = 360;
export const CUSTOMER_DAYS = 15;
/** The driver row that has a later-created correction: 3 hours before the newest row. */
export const CORRECTED_HOUR = DRIVER_HOURS - 4;
/** Fixed older rows, as Feast's quickstart keeps one at 2021-04-12 07:00 for its historical example. */
export const FIXED_DRIVER_TIME = '2021-04-12T07:00:00Z';
export const FIXED_CUSTOMER_TIME = '2021-04-12T00:00:00Z';

/**
 * The newest event time of the data generated at `now`: the hour before the current one
 * (UTC), as Feast's `feast init` ends its hourly rows at the last full hour. Views with a
 * one-day ttl then read PRESENT for about a day after `init`.
 */
export function newestSampleEvent(now: Date): Date {
  return new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS);
}

/** A DuckDB TIMESTAMP literal (UTC wall time) of an instant. */
const literal = (at: Date) => `TIMESTAMP '${at.toISOString().slice(0, 19).replace('T', ' ')}'`;

/**
 * The example repo's data as SQL over generated ranges, relative to `newest` (the same
 * on every engine, given the instant). The formulas are written in the repo's README.md.
 */
export function driverStatsSql(newest: Date): string {
  const last = DRIVER_HOURS - 1;
  const h = CORRECTED_HOUR;
  return `
  WITH base AS (
    SELECT d::BIGINT AS driver_id, h, ${literal(newest)} - to_hours(${last} - h) AS event_timestamp
    FROM range(1001, 1011) t(d), range(0, ${DRIVER_HOURS}) u(h)
  )
  SELECT driver_id, event_timestamp, event_timestamp + to_minutes(5) AS created,
         CAST(((driver_id * 31 + h * 17) % 100) / 100.0 AS FLOAT) AS conv_rate,
         CASE WHEN (driver_id + h) % 11 = 0 THEN NULL ELSE CAST(((driver_id * 7 + h * 13) % 100) / 100.0 AS FLOAT) END AS acc_rate,
         ((driver_id + h) % 50)::BIGINT AS avg_daily_trips
  FROM base
  UNION ALL
  SELECT 1001::BIGINT, ${literal(newest)} - to_hours(${last - h}), ${literal(newest)} - to_hours(${last - h}) + to_minutes(10),
         CAST(0.999 AS FLOAT), CAST(((1001 * 7 + ${h} * 13) % 100) / 100.0 AS FLOAT), ((1001 + ${h}) % 50)::BIGINT
  UNION ALL
  SELECT d::BIGINT, ${literal(new Date(FIXED_DRIVER_TIME))}, ${literal(new Date(FIXED_DRIVER_TIME))} + to_minutes(5),
         CAST((d % 100) / 100.0 AS FLOAT), CAST(0.5 AS FLOAT), (d - 1000)::BIGINT
  FROM range(1001, 1011) t(d)
  ORDER BY event_timestamp, driver_id`;
}

export function customerProfileSql(newest: Date): string {
  const last = CUSTOMER_DAYS - 1;
  return `
  SELECT c::BIGINT AS customer_id, ${literal(newest)} - to_days(${last} - k) AS event_timestamp,
         CAST((c % 100) * 10 + k AS FLOAT) AS current_balance,
         CAST((c + k) % 4 + 1 AS FLOAT) AS avg_passenger_count,
         ((c - 2000) + 10 * k)::BIGINT AS lifetime_trip_count
  FROM range(2001, 2011) t(c), range(0, ${CUSTOMER_DAYS}) u(k)
  UNION ALL
  SELECT c::BIGINT, ${literal(new Date(FIXED_CUSTOMER_TIME))}, CAST(c - 2000 AS FLOAT), CAST(1 AS FLOAT), 0::BIGINT
  FROM range(2001, 2011) t(c)
  ORDER BY event_timestamp, customer_id`;
}

export async function generateSampleData(engine: SqlEngine, newest: Date): Promise<{ driverStats: Uint8Array; customerProfile: Uint8Array }> {
  return {
    driverStats: await engine.export(driverStatsSql(newest), 'parquet'),
    customerProfile: await engine.export(customerProfileSql(newest), 'parquet'),
  };
}
