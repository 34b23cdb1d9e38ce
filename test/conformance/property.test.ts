import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64, Int64 } from '../../src/definitions/index.js';
import type { SqlEngine } from '../../src/offline/sql-engine.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createNodeEngine } from '../../src/runtime/node/engine.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { pointInTimeOracle } from '../oracle/point-in-time-oracle.js';
import { BASE, cell, H, table } from './fixtures.js';

const a = entity({ name: 'a', joinKeys: ['a_id'], valueType: Int64 });
const b = entity({ name: 'b', joinKeys: ['b_id'], valueType: Int64 });

/** Small domains so keys collide, event times tie and rows sit exactly on ttl bounds. */
const sourceRow = fc.record({
  a_id: fc.integer({ min: 1, max: 3 }), b_id: fc.integer({ min: 1, max: 2 }),
  ts: fc.integer({ min: 0, max: 12 }), created: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
  value: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
});
const entityRow = fc.record({ a_id: fc.integer({ min: 1, max: 4 }), b_id: fc.integer({ min: 1, max: 2 }), ts: fc.integer({ min: 0, max: 14 }) });
const scenario = fc.record({
  source: fc.array(sourceRow, { minLength: 0, maxLength: 25 }),
  duplicates: fc.array(fc.nat(), { maxLength: 3 }),
  entities: fc.array(entityRow, { minLength: 1, maxLength: 12 }),
  ttlHours: fc.constantFrom(0, 1, 2, 5),
  composite: fc.boolean(), withCreated: fc.boolean(), fullFeatureNames: fc.boolean(), filterByCreated: fc.boolean(),
});

for (const [label, choice] of [['native DuckDB', 'duckdb-native'], ['DuckDB-WASM', 'duckdb-wasm']] as const) {
  describe(`point-in-time retrieval equals the brute-force oracle on random data (${label})`, () => {
    let engine: SqlEngine;
    beforeAll(async () => { engine = await createNodeEngine({ engine: choice }); });
    afterAll(async () => { await engine.close(); });

    it('for ties, ttl bounds, nulls, duplicates and composite keys', async () => {
      let run = 0;
      await fc.assert(fc.asyncProperty(scenario, async (s) => {
        const source = [...s.source, ...s.duplicates.filter(() => s.source.length > 0).map((i) => s.source[i % s.source.length])];
        const src = fileSource({ name: 'src', path: 'x.parquet', ...(s.withCreated ? { createdTimestampColumn: 'created' } : {}) });
        const view = featureView({ name: 'v', entities: s.composite ? [a, b] : [a], ttl: s.ttlHours * 3600, source: src, schema: [field('value', Float64)] });
        const store = createFeatureStore({ project: `prop${run++}`, registry: new MemoryRegistryStore(), engine: async () => engine });
        await store.apply([a, b, view]);
        // Hours on a grid make "exactly entity_ts - ttl" and exact ties frequent.
        const toMicros = (hours: number) => BASE + BigInt(hours) * H;
        store.registerSourceData('src', table({
          a_id: { kind: 'int64', values: source.map((r) => BigInt(r.a_id)) },
          b_id: { kind: 'int64', values: source.map((r) => BigInt(r.b_id)) },
          event_timestamp: { kind: 'ts', values: source.map((r) => toMicros(r.ts)) },
          created: { kind: 'ts', values: source.map((r) => (r.created === null ? null : toMicros(r.created))) },
          value: { kind: 'float', values: source.map((r) => r.value) },
        }));
        const entities = s.entities.map((e) => ({ a_id: BigInt(e.a_id), b_id: BigInt(e.b_id), event_timestamp: toMicros(e.ts) }));
        const result = await store.getHistoricalFeatures({
          entityDf: table({
            a_id: { kind: 'int64', values: entities.map((e) => e.a_id) }, b_id: { kind: 'int64', values: entities.map((e) => e.b_id) },
            event_timestamp: { kind: 'ts', values: entities.map((e) => e.event_timestamp) },
          }),
          features: ['v:value'], fullFeatureNames: s.fullFeatureNames, filterByCreatedTimestamp: s.filterByCreated && s.withCreated,
        }).toArrow();
        const expected = pointInTimeOracle(entities, [{
          name: 'v', keys: (s.composite ? ['a_id', 'b_id'] : ['a_id']).map((k) => ({ viewKey: k, entityColumn: k })),
          features: ['value'], ttlMicros: BigInt(s.ttlHours) * H, timestampColumn: 'event_timestamp',
          ...(s.withCreated ? { createdColumn: 'created' } : {}),
          rows: source.map((r) => ({ a_id: BigInt(r.a_id), b_id: BigInt(r.b_id), event_timestamp: toMicros(r.ts), created: r.created === null ? null : toMicros(r.created), value: r.value })),
        }], { fullFeatureNames: s.fullFeatureNames, filterByCreatedTimestamp: s.filterByCreated && s.withCreated });
        const column = s.fullFeatureNames ? 'v__value' : 'value';
        if (result.numRows !== expected.length) throw new Error(`rows: got ${result.numRows}, expected ${expected.length}`);
        expected.forEach((row, i) => {
          const actual = cell(result, column, i);
          if (cell(result, 'a_id', i) !== row.a_id[0]) throw new Error(`row ${i}: entity order changed`);
          if (!row[column].includes(actual)) throw new Error(`row ${i}: got ${actual}, expected one of ${row[column].join(' | ')}`);
        });
      }), { numRuns: 60 });
    });
  });
}
