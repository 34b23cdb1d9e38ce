import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, Float64, Int64, String as Str, streamFeatureView } from '../../src/definitions/index.js';
import { viewKeyEncoder } from '../../src/online/entity-key.js';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { STATE_COLUMN, stateViewName } from '../../src/stream/ingest.js';
import { at, driver, iso, streamStore, tripsPush } from './fixtures.js';

const view = streamFeatureView({
  name: 'legacy',
  source: tripsPush,
  entities: [driver],
  schema: [field('fare', Float64), field('trips', Int64), field('city', Str)],
  aggregations: [
    { column: 'fare', fn: 'sum', window: '1h' },
    { column: 'fare', fn: 'last', window: '1h' },
    { column: 'trips', fn: 'sum', window: '1h' },
    { column: 'trips', fn: 'max', window: '1h' },
    { column: 'city', fn: 'max', window: '1h' },
    { column: 'city', fn: 'count', window: '1h' },
  ],
});
const features = view.features.map((f) => `legacy:${f.name}`);

/*
 * A tile record (format 3, MessagePack) as feast-edge wrote it before window records
 * existed, with no window record beside it: driver 1, watermark +3700 s, 60 s tiles (tile
 * K = 10:00 / 60 s) from events at +100 s (fare 1.5, trips 2, city 'b', tile K+1), +130 s
 * (2.25, 5, 'a', tile K+2) and +3700 s (4, 1, 'c', tile K+61). It covers the three column
 * layouts: float64 (fare), int64 (trips) and plain arrays (city).
 */
const FORMAT_3_RECORD =
  'kwPTAAW/xHAsTQCTl6RmYXJlPAOnZmZmZmZmZsSoAAAAkI+4eUEAAACgj7h5QQAAAFCTuHlBAAAAAAAA8D8AAAAAAADwPwAAAAAAAPA/AAAAAAAA+D8AAAAAAAACQAAAAAAAABBAAAAAAAAA+D8AAAAAAAACQAAAAAAAABBAAAAAAAAA+D8AAAAAAAACQAAAAAAAABBAAKRiZg7/FkMAsoltDv8WQwA0scAR/xZDAAAAAAAA+D8AAAAAAAACQAAAAAAAABBAxACQl6V0cmlwczwDp2ZmaWlpZmnESAAAAJCPuHlBAAAAoI+4eUEAAABQk7h5QQAAAAAAAPA/AAAAAAAA8D8AAAAAAADwPwCkYmYO/xZDALKJbQ7/FkMANLHAEf8WQ8RgAgAAAAAAAAAFAAAAAAAAAAEAAAAAAAAAAgAAAAAAAAAFAAAAAAAAAAEAAAAAAAAAAgAAAAAAAAAFAAAAAAAAAAEAAAAAAAAAAgAAAAAAAAAFAAAAAAAAAAEAAAAAAAAAkJekY2l0eTwDp2ZmYWFhZmHESAAAAJCPuHlBAAAAoI+4eUEAAABQk7h5QQAAAAAAAPA/AAAAAAAA8D8AAAAAAADwPwCkYmYO/xZDALKJbQ7/FkMANLHAEf8WQ8QAlJPAwMCToWKhYaFjk6FioWGhY5OhYqFhoWM=';

describe('tile records written before window records existed', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('still serve reads, and get a window record at the next ingest', async () => {
    const online = new MemoryOnlineStore();
    const store = await streamStore(engine, [driver, tripsPush, view], online);
    const key = viewKeyEncoder(view)([1]);
    await online.write(store.project, {
      view: stateViewName('legacy'),
      keys: [key],
      eventTimestamps: [at(3700)],
      features: { [STATE_COLUMN]: [new Uint8Array(Buffer.from(FORMAT_3_RECORD, 'base64'))] },
    });
    const read = async (seconds: number) => (await store.getOnlineFeatures({ features, entityRows: { driver_id: [1, 2] }, now: at(seconds) })).toWire();

    // +3710 s is in tile K+61: the window is tiles K+2 to K+61 (the +130 s and +3700 s events).
    const before = await read(3710);
    expect(before.results.slice(1).map((r) => r.values)).toEqual([
      [6.25, null],
      [4, null],
      [6, null],
      [5, null],
      ['c', null],
      [2, null],
    ]);
    expect(before.results[1].statuses).toEqual(['PRESENT', 'NOT_FOUND']);
    expect(before.results[1].event_timestamps[0]).toBe('2021-04-12T11:01:40Z');

    await store.ingest('legacy', [{ driver_id: 1, event_timestamp: iso(at(3720)), fare: 0.5, trips: 10, city: 'd' }]);
    const stored = await online.read(store.project, stateViewName('legacy'), [key, new Uint8Array([...key, 0x57])], [STATE_COLUMN]);
    const [tiles, windows] = stored.values[STATE_COLUMN] as Uint8Array[];
    // The tile record keeps its format (a MessagePack array of 3, format 3); the window record is new.
    expect([tiles[0], tiles[1]]).toEqual([0x93, 3]);
    expect([windows[0], windows[1]]).toEqual([0xc1, 0x57]);
    // +3725 s is in tile K+62: tiles K+3 to K+62 (the +3700 s and +3720 s events).
    const after = await read(3725);
    expect(after.results.slice(1).map((r) => r.values[0])).toEqual([4.5, 0.5, 11, 10, 'd', 2]);
    // Before the newest tile the tiles are merged: +3659 s is tile K+60, tiles K+1 to K+60.
    const past = await read(3659);
    expect(past.results.slice(1).map((r) => r.values[0])).toEqual([3.75, 2.25, 7, 5, 'b', 2]);
  });

  it('refuses a record of an unknown format, naming the view', async () => {
    const online = new MemoryOnlineStore();
    const store = await streamStore(engine, [driver, tripsPush, view], online);
    await online.write(store.project, {
      view: stateViewName('legacy'),
      keys: [viewKeyEncoder(view)([1])],
      eventTimestamps: [at(0)],
      features: { [STATE_COLUMN]: [new Uint8Array([0x93, 0x09, 0x00, 0x90])] },
    });
    await expect(store.getOnlineFeatures({ features, entityRows: [{ driver_id: 1 }], now: at(10) })).rejects.toThrow(
      /stream view 'legacy': stored tile state has an unknown format/,
    );
  });
});
