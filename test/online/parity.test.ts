import fc from 'fast-check';
import { Float64, Int64, Table, TimestampMicrosecond, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64 as F64, Int64 as I64 } from '../../src/definitions/index.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';

const H = 3_600_000_000n;
const BASE = 1_618_221_600_000_000n;

function ts(values: bigint[]): Vector {
  const data = new BigInt64Array(values);
  return makeVector(makeData({ type: new TimestampMicrosecond(), length: values.length, nullCount: 0, data: new Int32Array(data.buffer) }));
}

const a = entity({ name: 'a', joinKeys: ['a_id'], valueType: I64 });
const b = entity({ name: 'b', joinKeys: ['b_id'], valueType: I64 });

const scenario = fc.record({
  rows: fc.array(
    fc.record({
      a: fc.integer({ min: 1, max: 3 }),
      b: fc.integer({ min: 1, max: 2 }),
      ts: fc.integer({ min: 0, max: 12 }),
      created: fc.integer({ min: 0, max: 3 }),
      isNull: fc.boolean(),
    }),
    { maxLength: 25 },
  ),
  ttlHours: fc.constantFrom(0, 1, 3),
  composite: fc.boolean(),
  at: fc.integer({ min: 0, max: 14 }),
});

describe('train/serve parity: online after materializing to T equals historical retrieval at T', () => {
  let engine: SqlEngine;
  beforeAll(async () => {
    engine = await createNodeEngine();
  });
  afterAll(async () => {
    await engine.close();
  });

  it('for every entity, ttl and status, on random data', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const view = featureView({
          name: 'v',
          entities: s.composite ? [a, b] : [a],
          ttl: s.ttlHours * 3600,
          source: fileSource({ name: 'src', path: 'x.parquet', createdTimestampColumn: 'created' }),
          schema: [field('value', F64)],
        });
        const store = createFeatureStore({
          project: `parity${run++}`,
          registry: new MemoryRegistryStore(),
          offlineStore: createDuckDbOfflineStore({ engine: async () => engine }),
        });
        await store.apply([a, b, view]);
        // A value determined by (key, ts, created): exact ties carry equal values, so both sides agree on them.
        const value = (r: (typeof s.rows)[number]) => (r.isNull ? null : r.a * 1000 + (s.composite ? r.b * 100 : 0) + r.ts * 10 + r.created);
        const rows = s.rows.map((r) => ({
          ...r,
          isNull: s.rows.some((o) => o.a === r.a && (!s.composite || o.b === r.b) && o.ts === r.ts && o.created === r.created && o.isNull),
        }));
        store.registerSourceData(
          'src',
          new Table({
            a_id: vectorFromArray(
              rows.map((r) => BigInt(r.a)),
              new Int64(),
            ),
            b_id: vectorFromArray(
              rows.map((r) => BigInt(r.b)),
              new Int64(),
            ),
            event_timestamp: ts(rows.map((r) => BASE + BigInt(r.ts) * H)),
            created: ts(rows.map((r) => BASE + BigInt(r.created) * H)),
            value: vectorFromArray(rows.map(value), new Float64()),
          }),
        );
        const at = BASE + BigInt(s.at) * H;
        await store.materialize({ start: new Date(0), end: new Date(Number(at / 1000n)) });
        const entities: { a_id: number; b_id: number }[] = [];
        for (let x = 1; x <= 4; x++) for (let y = 1; y <= (s.composite ? 2 : 1); y++) entities.push({ a_id: x, b_id: y });
        const online = await store.getOnlineFeatures({ features: ['v:value'], entityRows: entities, now: at });
        const historical = await store
          .getHistoricalFeatures({
            entityDf: entities.map((e) => ({ ...e, event_timestamp: new Date(Number(at / 1000n)) })),
            features: ['v:value'],
          })
          .toRows();
        const wire = online.toWire();
        const column = wire.results[wire.metadata.feature_names.indexOf('value')];
        historical.forEach((h, i) => {
          const status = column.statuses[i];
          const expectOnline = status === 'PRESENT' ? column.values[i] : null;
          if (h.value !== expectOnline) {
            throw new Error(`entity ${JSON.stringify(entities[i])} at +${s.at}h: historical ${h.value}, online ${column.values[i]} (${status})`);
          }
        });
      }),
      { numRuns: 60 },
    );
  });
});
