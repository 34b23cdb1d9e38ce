import { describe, expect, it } from 'vitest';
import { pointInTimeOracle, type OracleProjection, type PlainRow } from './point-in-time-oracle.js';

// Hours as small bigints keep the hand computations readable: the oracle only compares.
const h = (n: number) => BigInt(n) * 3_600_000_000n;

const view = (rows: PlainRow[], ttlHours: number, extra: Partial<OracleProjection> = {}): OracleProjection => ({
  view: 'v',
  joinKeys: ['id'],
  features: ['x'],
  ttl: h(ttlHours),
  source: { rows, timestampField: 'ts', createdTimestampColumn: 'created' },
  ...extra,
});
const at = (entityRows: PlainRow[], projections: OracleProjection[], fullFeatureNames = false, filterByCreatedTimestamp = false) =>
  pointInTimeOracle({ entityRows, projections, fullFeatureNames, filterByCreatedTimestamp });

describe('the point-in-time oracle itself', () => {
  it('includes a row exactly at entity_ts - ttl and exactly at entity_ts, and nothing a microsecond outside', () => {
    const rows = [{ id: 1n, ts: h(10), created: null, x: 'r' }];
    const result = at(
      [
        { id: 1n, event_timestamp: h(12) }, // row is exactly ttl (2h) old
        { id: 1n, event_timestamp: h(12) + 1n }, // one microsecond too old
        { id: 1n, event_timestamp: h(10) }, // row is exactly at the entity time
        { id: 1n, event_timestamp: h(10) - 1n }, // row is one microsecond in the future
      ],
      [view(rows, 2)],
    );
    expect(result.rows.map((r) => r.x)).toEqual([['r'], [null], ['r'], [null]]);
  });

  it('breaks event-time ties by the larger created, a null created lowest, and a later event beats a larger created', () => {
    const tie = [
      { id: 1n, ts: h(6), created: null, x: 'null-created' },
      { id: 1n, ts: h(6), created: h(7), x: 'created-7' },
      { id: 1n, ts: h(6), created: h(6), x: 'created-6' },
    ];
    expect(at([{ id: 1n, event_timestamp: h(8) }], [view(tie, 0)]).rows[0].x).toEqual(['created-7']);
    const later = [
      { id: 1n, ts: h(5), created: h(9), x: 'old-event' },
      { id: 1n, ts: h(6), created: h(6), x: 'new-event' },
    ];
    expect(at([{ id: 1n, event_timestamp: h(8) }], [view(later, 0)]).rows[0].x).toEqual(['new-event']);
    const nullVsValue = [
      { id: 1n, ts: h(6), created: h(1), x: 'has-created' },
      { id: 1n, ts: h(6), created: null, x: 'null' },
    ];
    expect(at([{ id: 1n, event_timestamp: h(8) }], [view(nullVsValue, 0)]).rows[0].x).toEqual(['has-created']);
  });

  it('treats ttl 0 as no lower bound and lists every value of an exact tie', () => {
    const rows = [
      { id: 1n, ts: h(0), created: null, x: 'p' },
      { id: 1n, ts: h(0), created: null, x: 'q' },
      { id: 1n, ts: h(0), created: null, x: 'p' },
    ];
    const [row] = at([{ id: 1n, event_timestamp: h(100_000) }], [view(rows, 0)]).rows;
    expect(row.x).toEqual(['p', 'q']);
    const [bounded] = at([{ id: 1n, event_timestamp: h(100_000) }], [view(rows, 1)]).rows;
    expect(bounded.x).toEqual([null]);
  });

  it('matches composite keys on every key, never on null, and entity-less views on time alone', () => {
    const composite: OracleProjection = {
      view: 'o',
      joinKeys: ['a', 'b'],
      features: ['y'],
      ttl: 0n,
      source: {
        rows: [
          { a: 1n, b: 2n, t: h(1), y: 12 },
          { a: 1n, b: 3n, t: h(1), y: 13 },
          { a: null, b: 2n, t: h(1), y: -1 },
        ],
        timestampField: 't',
      },
    };
    const global: OracleProjection = {
      view: 'g',
      joinKeys: [],
      features: ['z'],
      ttl: h(2),
      source: {
        rows: [
          { t: h(1), z: 'one' },
          { t: h(3), z: 'three' },
        ],
        timestampField: 't',
      },
    };
    const result = at(
      [
        { a: 1n, b: 2n, event_timestamp: h(2) },
        { a: 1n, b: 4n, event_timestamp: h(2) },
        { a: null, b: 2n, event_timestamp: h(4) },
      ],
      [composite, global],
    );
    expect(result.columns).toEqual(['a', 'b', 'event_timestamp', 'y', 'z']);
    expect(result.rows.map((r) => [r.y[0], r.z[0]])).toEqual([
      [12, 'one'],
      [null, 'one'],
      [null, 'three'],
    ]);
  });

  it('applies the field mapping, aliases with join-key maps, full names, and refuses colliding names', () => {
    const source = {
      rows: [
        { loc: 7n, t: h(1), raw_temp: 20.5 },
        { loc: 8n, t: h(1), raw_temp: 30.5 },
      ],
      timestampField: 't',
      fieldMapping: { loc: 'location_id', raw_temp: 'temperature' },
    };
    const origin: OracleProjection = {
      view: 'location',
      alias: 'origin',
      joinKeys: ['location_id'],
      joinKeyMap: { location_id: 'origin_id' },
      features: ['temperature'],
      ttl: 0n,
      source,
    };
    const destination: OracleProjection = { ...origin, alias: 'destination', joinKeyMap: { location_id: 'destination_id' } };
    const result = at([{ origin_id: 7n, destination_id: 8n, event_timestamp: h(2) }], [origin, destination], true);
    expect(result.columns).toEqual(['origin_id', 'destination_id', 'event_timestamp', 'origin__temperature', 'destination__temperature']);
    expect(result.rows[0]).toMatchObject({ origin__temperature: [20.5], destination__temperature: [30.5] });
    expect(() => at([{ origin_id: 7n, destination_id: 8n, event_timestamp: h(2) }], [origin, destination], false)).toThrow(/temperature/);
  });

  it('filters by created timestamp only when asked and only when the source has a created column', () => {
    const rows = [
      { id: 1n, ts: h(1), created: h(1), x: 'created-before' },
      { id: 1n, ts: h(2), created: h(9), x: 'created-after' },
      { id: 1n, ts: h(3), created: null, x: 'no-created' },
    ];
    const entity = [{ id: 1n, event_timestamp: h(5) }];
    expect(at(entity, [view(rows, 0)]).rows[0].x).toEqual(['no-created']);
    expect(at(entity, [view(rows, 0)], false, true).rows[0].x).toEqual(['created-before']);
    const noCreatedColumn = view(rows, 0, { source: { rows, timestampField: 'ts' } });
    expect(at(entity, [noCreatedColumn], false, true).rows[0].x).toEqual(['no-created']);
    const allFuture = [{ id: 1n, ts: h(1), created: h(9), x: 'future' }];
    expect(at(entity, [view(allFuture, 0)], false, true).rows[0]).toEqual({ id: [1n], event_timestamp: [h(5)], x: [null] });
  });

  it('keeps every entity row in order, duplicates included, and gives a null-timestamp row nulls', () => {
    const rows = [
      { id: 1n, ts: h(1), created: null, x: 'a' },
      { id: 2n, ts: h(1), created: null, x: 'b' },
    ];
    const result = at(
      [
        { id: 2n, event_timestamp: h(2) },
        { id: 1n, event_timestamp: h(2) },
        { id: 2n, event_timestamp: h(2) },
        { id: 1n, event_timestamp: null },
      ],
      [view(rows, 0)],
    );
    expect(result.rows.map((r) => [r.id[0], r.x[0]])).toEqual([
      [2n, 'b'],
      [1n, 'a'],
      [2n, 'b'],
      [1n, null],
    ]);
  });
});
