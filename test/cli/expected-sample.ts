/**
 * The example repo's data by its documented formulas (the README `init` writes), and
 * Feast's point-in-time rule applied by brute force: the expectation never touches the
 * generator's SQL or the retrieval code.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DRIVER_START = Date.parse('2021-04-10T00:00:00Z');
const CUSTOMER_START = Date.parse('2021-04-08T00:00:00Z');
/** Driver 1001's row at hour 58 (2021-04-12T10:00Z) has a later-created correction. */
const CORRECTED = { driver: 1001, hour: 58, convRate: 0.999 };

/** The latest step index whose time lies in [t - ttl, t], or undefined. */
function latest(start: number, step: number, count: number, t: number, ttl: number): number | undefined {
  for (let i = count - 1; i >= 0; i--) {
    const at = start + i * step;
    if (at <= t && at >= t - ttl) return i;
  }
  return undefined;
}

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

export function driverStatsAt(d: number, iso: string): DriverStats {
  const h = d >= 1001 && d <= 1010 ? latest(DRIVER_START, HOUR, 72, Date.parse(iso), DAY) : undefined;
  if (h === undefined) return { conv_rate: null, acc_rate: null, avg_daily_trips: null };
  const corrected = d === CORRECTED.driver && h === CORRECTED.hour;
  return {
    conv_rate: corrected ? CORRECTED.convRate : ((d * 31 + h * 17) % 100) / 100,
    acc_rate: (d + h) % 11 === 0 ? null : ((d * 7 + h * 13) % 100) / 100,
    avg_daily_trips: (d + h) % 50,
  };
}

export function customerProfileAt(c: number, iso: string): CustomerProfile {
  const k = c >= 2001 && c <= 2010 ? latest(CUSTOMER_START, DAY, 5, Date.parse(iso), 2 * DAY) : undefined;
  if (k === undefined) return { current_balance: null, avg_passenger_count: null, lifetime_trip_count: null };
  return { current_balance: (c % 100) * 10 + k, avg_passenger_count: ((c + k) % 4) + 1, lifetime_trip_count: c - 2000 + 10 * k };
}
