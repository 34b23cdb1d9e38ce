import { describe, expect, it } from 'vitest';
import { pointInTimeOracle, type OracleView } from './point-in-time-oracle.js';

const H = 3_600_000_000n;
const view = (rows: Record<string, unknown>[], ttlHours: bigint, created = true): OracleView => ({
  name: 'v', keys: [{ viewKey: 'id', entityColumn: 'id' }], features: ['x'], ttlMicros: ttlHours * H,
  rows, timestampColumn: 'ts', ...(created ? { createdColumn: 'created' } : {}),
});

describe('the point-in-time oracle itself', () => {
  it('includes a row exactly at the entity timestamp and exactly at entity_ts - ttl', () => {
    const rows = [{ id: 1, ts: 10n * H, created: null, x: 'at-lower-bound' }];
    const [atLower] = pointInTimeOracle([{ id: 1, event_timestamp: 12n * H }], [view(rows, 2n)], { fullFeatureNames: false });
    expect(atLower.x).toEqual(['at-lower-bound']);
    const [justOutside] = pointInTimeOracle([{ id: 1, event_timestamp: 12n * H + 1n }], [view(rows, 2n)], { fullFeatureNames: false });
    expect(justOutside.x).toEqual([null]);
    const [atUpper] = pointInTimeOracle([{ id: 1, event_timestamp: 10n * H }], [view(rows, 2n)], { fullFeatureNames: false });
    expect(atUpper.x).toEqual(['at-lower-bound']);
  });

  it('breaks event-time ties by the larger created timestamp, and a later event beats a larger created', () => {
    const rows = [
      { id: 1, ts: 5n * H, created: 9n * H, x: 'older-event-late-created' },
      { id: 1, ts: 6n * H, created: 6n * H, x: 'a' },
      { id: 1, ts: 6n * H, created: 7n * H, x: 'b' },
    ];
    const [r] = pointInTimeOracle([{ id: 1, event_timestamp: 8n * H }], [view(rows, 0n)], { fullFeatureNames: true });
    expect(r.v__x).toEqual(['b']);
  });

  it('treats ttl 0 as no lower bound and returns every value of an exact tie', () => {
    const rows = [{ id: 1, ts: 0n, created: null, x: 'p' }, { id: 1, ts: 0n, created: null, x: 'q' }];
    const [r] = pointInTimeOracle([{ id: 1, event_timestamp: 1000n * H }], [view(rows, 0n, false)], { fullFeatureNames: false });
    expect(r.x.sort()).toEqual(['p', 'q']);
  });
});
