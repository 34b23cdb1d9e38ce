import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { field, Float64, Int64, streamFeatureView } from '../../src/definitions/index.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { createNodeEngine, createWasmEngine } from '../../src/runtime/node/duckdb/engine.js';
import { at, driver, iso, streamStore, tripsPush } from './fixtures.js';
import { oracleValue, type OracleEvent } from './oracle.js';

const LATENESS_SECONDS = 45;
const fns = ['sum', 'count', 'mean', 'min', 'max', 'last'] as const;
// Two windows with slides, over a float column (integer-valued, so sums do not depend on order) and an int column.
const view = streamFeatureView({
  name: 'trips',
  source: tripsPush,
  entities: [driver],
  schema: [field('fare', Float64), field('trips', Int64)],
  allowedLateness: LATENESS_SECONDS,
  aggregations: [
    ...fns.map((fn) => ({ column: 'fare', fn, window: '1m', slide: '20s' })),
    ...fns.map((fn) => ({ column: 'trips', fn, window: '2m', slide: '30s' })),
  ],
});
const features = view.features.map((f) => `trips:${f.name}`);
const ENTITIES = [1, 2, 3];

const micros = fc.constantFrom(0n, 1n, 999_999n, 500_000n);
const value = fc.option(fc.integer({ min: -20, max: 20 }), { nil: null, freq: 4 });
const event = fc.record({ key: fc.constantFrom(...ENTITIES), seconds: fc.integer({ min: 0, max: 240 }), micros, fare: value, trips: value });
const scenario = fc.record({
  events: fc.array(event, { maxLength: 30 }),
  // Whole milliseconds (entity rows carry Dates); events at T's exact microsecond still occur (0 and 500 ms offsets).
  instants: fc.array(fc.record({ seconds: fc.integer({ min: 0, max: 260 }), micros: fc.constantFrom(0n, 500_000n, 999_000n) }), { minLength: 1, maxLength: 2 }),
  // A displacement per event, within the allowed lateness, and the batch size ingest uses.
  jitter: fc.array(fc.integer({ min: 0, max: LATENESS_SECONDS * 1_000_000 }), { minLength: 30, maxLength: 30 }),
  batchSize: fc.integer({ min: 1, max: 8 }),
});

/** Online NOT_FOUND is an entity that never had an event: its windows are empty. */
const emptyValue = (name: string) => (name.startsWith('count_') ? 0 : null);

function runParity(engineName: 'native' | 'wasm', numRuns: number) {
  describe(`stream parity on DuckDB ${engineName}: online at T equals historical at T equals the oracle`, () => {
    let engine: SqlEngine;
    beforeAll(async () => {
      engine = engineName === 'wasm' ? await createWasmEngine() : await createNodeEngine({ engine: 'duckdb-native' });
    });
    afterAll(async () => {
      await engine.close();
    });

    it('for every entity and aggregation, events ingested in any order within the allowed lateness', async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          const events: OracleEvent[] = s.events.map((e) => ({ key: e.key, t: at(e.seconds, e.micros), values: { fare: e.fare, trips: e.trips } }));
          for (const instant of s.instants) {
            const T = at(instant.seconds, instant.micros);
            const seen = events.map((e, i) => ({ e, order: e.t + BigInt(s.jitter[i]) })).filter(({ e }) => e.t <= T);
            // Sorting by time plus a displacement of at most the lateness keeps every event within it of the newest before it.
            seen.sort((x, y) => (x.order < y.order ? -1 : x.order > y.order ? 1 : 0));
            // Not closed: closing a store closes the shared engine.
            const store = await streamStore(engine, [driver, tripsPush, view]);
            {
              const ingested = await store.ingest(
                'trips',
                seen.map(({ e }) => ({ driver_id: e.key, event_timestamp: e.t, fare: e.values.fare, trips: e.values.trips })),
                { batchSize: s.batchSize },
              );
              expect(ingested.late).toBe(0);
              const online = (await store.getOnlineFeatures({ features, entityRows: { driver_id: ENTITIES }, now: T })).toWire();
              const historical = await store
                .getHistoricalFeatures({ entityDf: ENTITIES.map((driver_id) => ({ driver_id, event_timestamp: iso(T) })), features })
                .toRows();
              for (const a of view.aggregations) {
                const column = online.results[online.metadata.feature_names.indexOf(a.name)];
                ENTITIES.forEach((key, i) => {
                  const onlineValue = column.statuses[i] === 'NOT_FOUND' ? emptyValue(a.name) : column.values[i];
                  // The oracle sees every event: those after T must not count on either path.
                  const expected = oracleValue(events, key, T, a);
                  const where = `${a.name} entity ${key} at +${instant.seconds}s ${instant.micros}µs`;
                  expect([where, onlineValue]).toEqual([where, historical[i][a.name]]);
                  expect([where, historical[i][a.name]]).toEqual([where, expected]);
                });
              }
            }
          }
        }),
        { numRuns },
      );
    });
  });
}

runParity('native', 60);
runParity('wasm', 15);
