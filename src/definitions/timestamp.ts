import { InvalidTimestampError } from '../errors.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/** The instants Feast can hold (Python's datetime: years 1 to 9999, UTC), in microseconds. */
export const MIN_EPOCH_MICROS = -62_135_596_800_000_000n;
export const MAX_EPOCH_MICROS = 253_402_300_799_999_999n;

/**
 * An instant as integer microseconds since the epoch, UTC. Accepts a Date, an ISO 8601
 * string (no zone means UTC, as in Feast; fractions to the microsecond are kept),
 * a bigint of microseconds, or a number of epoch seconds. Instants outside years
 * 1-9999 (what Feast's Python datetimes hold) and impossible dates (2021-02-30) are
 * refused, so no stored time is one a reader cannot format or compare.
 */
export function toEpochMicros(value: unknown, where: string): bigint {
  const micros = parseMicros(value, where);
  if (micros < MIN_EPOCH_MICROS || micros > MAX_EPOCH_MICROS) {
    throw new InvalidTimestampError(`${where}: ${shown(value)} is outside years 1-9999 (what Feast's timestamps hold)`);
  }
  return micros;
}

function parseMicros(value: unknown, where: string): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new InvalidTimestampError(`${where}: invalid Date`);
    return BigInt(ms) * 1000n;
  }
  if (typeof value === 'bigint') return value;
  // Beyond 1e16 seconds the product below leaves the safe range; such values are out of range anyway.
  if (typeof value === 'number' && Number.isFinite(value)) return Math.abs(value) < 1e16 ? BigInt(Math.round(value * 1e6)) : MAX_EPOCH_MICROS + 1n;
  if (typeof value === 'string') {
    const m = ISO.exec(value.trim());
    if (m) {
      const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
      const date = new Date(Date.UTC(2000, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)));
      // setUTCFullYear, as Date.UTC reads years 0-99 as 1900-1999.
      date.setUTCFullYear(Number(y));
      const ms = date.getTime();
      // A day or time that rolled over (February 30th, 24:61) is not the date written.
      const exact =
        date.getUTCFullYear() === Number(y) &&
        date.getUTCMonth() === Number(mo) - 1 &&
        date.getUTCDate() === Number(d) &&
        date.getUTCHours() === Number(h) &&
        date.getUTCMinutes() === Number(mi) &&
        date.getUTCSeconds() === Number(s);
      // A UTC offset is under 24 hours, as Python's datetime requires (+99:99 is no zone).
      const offset = zone?.match(/^[+-](\d{2}):?(\d{2})?$/);
      const zoneExists = !offset || (Number(offset[1]) < 24 && Number(offset[2] ?? 0) < 60);
      if (!Number.isNaN(ms) && exact && zoneExists) {
        const micros = BigInt(ms) * 1000n + BigInt((frac + '000000').slice(0, 6));
        return micros - zoneOffsetMicros(zone);
      }
      throw new InvalidTimestampError(`${where}: ${shown(value)} is not a date and time that exists`);
    }
  }
  throw new InvalidTimestampError(`${where}: expected a timestamp (Date, ISO 8601 string, or epoch seconds), got ${shown(value)}`);
}

const shown = (value: unknown) => JSON.stringify(typeof value === 'bigint' ? String(value) : value);

function zoneOffsetMicros(zone: string | undefined): bigint {
  if (!zone || zone === 'Z' || zone === 'z' || zone === 'UTC') return 0n;
  const sign = zone.startsWith('-') ? -1n : 1n;
  const digits = zone.slice(1).replace(':', '');
  const hours = BigInt(digits.slice(0, 2));
  const minutes = BigInt(digits.slice(2, 4) || '0');
  return sign * (hours * 3600n + minutes * 60n) * 1_000_000n;
}

/** RFC 3339 with microseconds when present, always UTC ('Z'). */
export function microsToIso(micros: bigint): string {
  const ms = Number(micros / 1000n) - (micros % 1000n < 0n ? 1 : 0);
  const iso = new Date(ms).toISOString();
  const subMs = ((micros % 1000n) + 1000n) % 1000n;
  return subMs === 0n ? iso.replace('.000Z', 'Z') : iso.replace('Z', `${String(subMs).padStart(3, '0')}Z`);
}

export function microsToDate(micros: bigint): Date {
  return new Date(Number(micros / 1000n));
}
