import { describe, expect, it } from 'vitest';
import { formatDuration, freshness } from '../../demo/app/freshness.js';

const DAY = 86_400_000;

describe("the demo's freshness line", () => {
  const at = Date.parse('2021-04-14T00:00:00Z');
  it('says never, fresh within the ttl, stale past it, and no ttl never expires', () => {
    const view = { online: true, ttlSeconds: 86_400 };
    expect(freshness(view, [], at)).toMatchObject({ state: 'never', text: 'never materialized' });
    // The latest end counts, whatever the order.
    const intervals = [
      { start: '2021-04-12T00:00:00Z', end: '2021-04-13T12:00:00Z' },
      { start: '2021-04-01T00:00:00Z', end: '2021-04-12T00:00:00Z' },
    ];
    expect(freshness(view, intervals, at)).toEqual({
      state: 'fresh',
      materializedTo: '2021-04-13T12:00:00Z',
      ttlSeconds: 86_400,
      text: 'materialized to 2021-04-13 12:00 UTC; fresh: within the 1 d ttl',
    });
    expect(freshness(view, intervals, at + DAY).state).toBe('stale');
    expect(freshness(view, intervals, at + DAY).text).toBe('materialized to 2021-04-13 12:00 UTC; stale: older than the 1 d ttl');
    expect(freshness({ online: true, ttlSeconds: 0 }, intervals, at + 1000 * DAY).state).toBe('fresh');
    expect(freshness({ online: false, ttlSeconds: 3600 }, intervals, at).state).toBe('offline-only');
  });
  it('writes ttls as Feast users do', () => {
    expect([formatDuration(86_400), formatDuration(7200), formatDuration(600), formatDuration(90), formatDuration(0)]).toEqual([
      '1 d',
      '2 h',
      '10 min',
      '90 s',
      'none',
    ]);
  });
});
