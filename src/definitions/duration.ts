import { InvalidDefinitionError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|w|d|h|m|s))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|w|d|h|m|s)/g;

/**
 * Parses a ttl or window: a number of seconds, or a duration string such as '2h',
 * '1d', '90m' or '1h30m'. Returns seconds; 0 means "no bound" where Feast says so.
 */
export function parseDuration(value: unknown, where: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) {
      throw new InvalidDefinitionError(`${where}: expected a non-negative number of seconds, got ${value}`);
    }
    return value;
  }
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (/^\d+(?:\.\d+)?$/.test(text)) return Number(text);
    if (DURATION.test(text)) {
      let seconds = 0;
      for (const [, amount, unit] of text.matchAll(PART)) seconds += Number(amount) * UNIT_SECONDS[unit];
      return seconds;
    }
  }
  throw new InvalidDefinitionError(
    `${where}: cannot parse duration ${JSON.stringify(value)}; expected seconds or a string like '30m', '2h', '1d', '1w', '1h30m'`,
  );
}
