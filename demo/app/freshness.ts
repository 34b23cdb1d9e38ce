import type { MaterializationInterval } from '../../src/registry/document.js';

/** How current a feature view's online rows are, from its registry entry alone (no read of the store). */
export interface Freshness {
  /**
   * 'offline-only': the view is not served online. 'never': nothing was materialized.
   * 'fresh': the last materialization ended within the ttl before `now` (or the view has no ttl).
   * 'stale': it ended longer ago than the ttl: rows it wrote read OUTSIDE_MAX_AGE unless pushed or written since.
   */
  readonly state: 'offline-only' | 'never' | 'fresh' | 'stale';
  /** End of the latest materialized interval (ISO 8601), if any. */
  readonly materializedTo?: string;
  readonly ttlSeconds: number;
  /** One line for a person, e.g. "materialized to 2021-04-13 00:00 UTC; stale: older than the 1 d ttl". */
  readonly text: string;
}

/** A duration as Feast users write ttls: 1 d, 2 h, 90 s. */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return 'none';
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size} ${unit}`;
  }
  return `${seconds} s`;
}

/** An ISO instant as "2021-04-13 00:00 UTC" (minutes are what a person compares). */
export const formatInstant = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The freshness of a view with these intervals and ttl, as of `now` (ms since the epoch). */
export function freshness(view: { online: boolean; ttlSeconds: number }, intervals: readonly MaterializationInterval[], now: number): Freshness {
  const ttlSeconds = view.ttlSeconds;
  if (!view.online) return { state: 'offline-only', ttlSeconds, text: 'not served online (online: false)' };
  const ends = intervals.map((i) => i.end).sort((a, b) => Date.parse(a) - Date.parse(b));
  const materializedTo = ends[ends.length - 1];
  if (materializedTo === undefined) return { state: 'never', ttlSeconds, text: 'never materialized' };
  const to = `materialized to ${formatInstant(materializedTo)}`;
  if (ttlSeconds <= 0) return { state: 'fresh', materializedTo, ttlSeconds, text: `${to}; no ttl: rows never expire` };
  const stale = now - Date.parse(materializedTo) > ttlSeconds * 1000;
  return stale
    ? { state: 'stale', materializedTo, ttlSeconds, text: `${to}; stale: older than the ${formatDuration(ttlSeconds)} ttl` }
    : { state: 'fresh', materializedTo, ttlSeconds, text: `${to}; fresh: within the ${formatDuration(ttlSeconds)} ttl` };
}
