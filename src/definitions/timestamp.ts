import { InvalidTimestampError } from '../errors.js';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * An instant as integer microseconds since the epoch, UTC. Accepts a Date, an ISO 8601
 * string (no zone means UTC, as in Feast; fractions to the microsecond are kept),
 * a bigint of microseconds, or a number of epoch seconds.
 */
export function toEpochMicros(value: unknown, where: string): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new InvalidTimestampError(`${where}: invalid Date`);
    return BigInt(ms) * 1000n;
  }
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.round(value * 1e6));
  if (typeof value === 'string') {
    const m = ISO.exec(value.trim());
    if (m) {
      const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
      const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
      if (!Number.isNaN(ms) && Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31) {
        const micros = BigInt(ms) * 1000n + BigInt((frac + '000000').slice(0, 6));
        return micros - zoneOffsetMicros(zone);
      }
    }
  }
  throw new InvalidTimestampError(
    `${where}: expected a timestamp (Date, ISO 8601 string, or epoch seconds), got ${JSON.stringify(typeof value === 'bigint' ? String(value) : value)}`,
  );
}

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
