/**
 * The example repo's data by its documented formulas (the README `init` writes), and
 * Feast's point-in-time rule applied by brute force: the expectation never touches the
 * generator's SQL or the retrieval code. The data is relative to the time `init` ran, so
 * the newest event time is read from the generated file (`newestSampleEvent`).
 */
import { join } from 'node:path';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Hourly driver rows h = 0..359 and daily customer rows k = 0..14, both ending at the newest event L. */
const DRIVER_HOURS = 360;
const CUSTOMER_DAYS = 15;
/** Driver 1001's row at h = 356 (L - 3 h) has a later-created correction with conv_rate 0.999. */
const CORRECTED = { driver: 1001, hour: 356, convRate: 0.999 };
const FIXED_DRIVER = Date.parse('2021-04-12T07:00:00Z');
const FIXED_CUSTOMER = Date.parse('2021-04-12T00:00:00Z');

export interface DriverStats {
  conv_rate: number | null;
  acc_rate: number | null;
  avg_daily_trips: number | null;
}
export interface CustomerProfile {
  current_balance: number | null;
  avg_passenger_count: number | null;
  lifetime_trip_count: number | null;
}

const NO_DRIVER: DriverStats = { conv_rate: null, acc_rate: null, avg_daily_trips: null };
const NO_CUSTOMER: CustomerProfile = { current_balance: null, avg_passenger_count: null, lifetime_trip_count: null };

export interface SampleData {
  /** L, the newest event time (epoch ms). */
  readonly newest: number;
  /** The event time of driver hour h (epoch ms). */
  driverTime(h: number): number;
  /** The values of driver d's row at hour h, the correction applied. */
  driverRow(d: number, h: number): DriverStats;
  /** driver_hourly_stats for driver d at instant `iso` (ttl 1 day, both bounds inclusive). */
  driverStatsAt(d: number, iso: string): DriverStats;
  /** customer_profile for customer c at `iso` (ttl 2 days). */
  customerProfileAt(c: number, iso: string): CustomerProfile;
}

export function sampleData(newest: number): SampleData {
  const driverTime = (h: number) => newest - (DRIVER_HOURS - 1 - h) * HOUR;
  const driverRow = (d: number, h: number): DriverStats => ({
    conv_rate: d === CORRECTED.driver && h === CORRECTED.hour ? CORRECTED.convRate : ((d * 31 + h * 17) % 100) / 100,
    acc_rate: (d + h) % 11 === 0 ? null : ((d * 7 + h * 13) % 100) / 100,
    avg_daily_trips: (d + h) % 50,
  });
  return {
    newest,
    driverTime,
    driverRow,
    driverStatsAt(d, iso) {
      if (d < 1001 || d > 1010) return NO_DRIVER;
      const t = Date.parse(iso);
      for (let h = DRIVER_HOURS - 1; h >= 0; h--) {
        const at = driverTime(h);
        if (at <= t) return at >= t - DAY ? driverRow(d, h) : NO_DRIVER;
      }
      if (FIXED_DRIVER <= t && FIXED_DRIVER >= t - DAY) return { conv_rate: (d % 100) / 100, acc_rate: 0.5, avg_daily_trips: d - 1000 };
      return NO_DRIVER;
    },
    customerProfileAt(c, iso) {
      if (c < 2001 || c > 2010) return NO_CUSTOMER;
      const t = Date.parse(iso);
      for (let k = CUSTOMER_DAYS - 1; k >= 0; k--) {
        const at = newest - (CUSTOMER_DAYS - 1 - k) * DAY;
        if (at <= t) {
          return at >= t - 2 * DAY
            ? { current_balance: (c % 100) * 10 + k, avg_passenger_count: ((c + k) % 4) + 1, lifetime_trip_count: c - 2000 + 10 * k }
            : NO_CUSTOMER;
        }
      }
      if (FIXED_CUSTOMER <= t && FIXED_CUSTOMER >= t - 2 * DAY) return { current_balance: c - 2000, avg_passenger_count: 1, lifetime_trip_count: 0 };
      return NO_CUSTOMER;
    },
  };
}

/** L of a repo made by `init`: the newest event time in its driver data, read with a plain query. */
export async function newestSampleEvent(repo: string): Promise<number> {
  const engine = await createNodeEngine();
  try {
    await engine.registerFile('generated', join(repo, 'data', 'driver_stats.parquet'), 'parquet');
    const table = await engine.query('SELECT epoch_ms(max(event_timestamp)) AS newest FROM generated');
    return Number(table.getChild('newest')?.get(0));
  } finally {
    await engine.close();
  }
}

/** The sample data of a repo made by `init`. */
export async function sampleDataOf(repo: string): Promise<SampleData> {
  return sampleData(await newestSampleEvent(repo));
}

/** An instant as RFC 3339 with Z, seconds precision. */
export const isoAt = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
