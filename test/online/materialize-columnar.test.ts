import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ArrayOf,
  Bool,
  Bytes,
  entity,
  featureView,
  field,
  fileSource,
  Float32,
  Float64,
  Int32,
  Int64,
  String as Str,
  UnixTimestamp,
  type FeatureView,
} from '../../src/definitions/index.js';
import { InvalidOnlineWriteError } from '../../src/errors.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import type { OnlineStore } from '../../src/online/online-store.js';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { NativeDuckDBEngine } from '../../src/runtime/node/duckdb/duckdb-native-engine.js';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb/lmdb-online-store.js';
import { nodeSourceLoader } from '../../src/runtime/node/node-source-loader.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { seededRandom } from '../support/seeded-random.js';

/*
 * Source rows drawn from a seeded generator, written to Parquet by DuckDB; the expected
 * online state is computed here in plain JS from the same rows (per key, among rows in
 * [start, end], the largest event time, ties to the larger created time with a missing
 * created time the oldest), then compared with what each store holds after materialize()
 * in batches of 7 rows, so every key's rows and the winners cross batch boundaries.
 */
const HOUR = 3_600_000_000n;
const T0 = 1_618_221_600_000_000n; // 2021-04-12T10:00:00Z
const KEYS = 60;
const ROWS = 500;
const START = T0 + 2n * HOUR;
const END = T0 + 20n * HOUR;

interface SourceRow {
  driver_id: number;
  event: bigint;
  created: bigint | null;
  i32: number | null;
  i64: number | null;
  f32: number | null;
  f64: number | null;
  s: string | null;
  b: boolean | null;
  by: Uint8Array | null;
  t: bigint | null;
  arr: number[] | null;
  strs: string[] | null;
}

function generate(seed: number): SourceRow[] {
  const rand = seededRandom(seed);
  const pick = <T>(value: () => T): T | null => (rand() < 0.2 ? null : value());
  const rows: SourceRow[] = [];
  // No two rows of a key share both times: which of two equal rows wins is not defined (Feast's neither).
  const taken = new Set<string>();
  while (rows.length < ROWS) {
    const driver_id = Math.floor(rand() * KEYS);
    const event = T0 + BigInt(Math.floor(rand() * 24)) * HOUR;
    const created = rand() < 0.3 ? null : event + BigInt(Math.floor(rand() * 4)) * HOUR;
    const id = `${driver_id}/${event}/${created}`;
    if (taken.has(id)) continue;
    taken.add(id);
    const n = rows.length;
    rows.push({
      driver_id,
      event,
      created,
      i32: pick(() => Math.floor(rand() * 2 ** 31) * (rand() < 0.5 ? -1 : 1)),
      i64: pick(() => Math.floor(rand() * 2 ** 50) - 2 ** 49),
      f32: pick(() => Math.fround(rand() * 1000 - 500)),
      f64: pick(() => rand() * 1e6 - 5e5),
      s: pick(() => `row ${n} 'q' é ${'x'.repeat(n % 5)}`),
      b: pick(() => rand() < 0.5),
      by: pick(() => Uint8Array.from({ length: n % 6 }, (_, i) => (n + i * 37) % 256)),
      t: pick(() => T0 + BigInt(n) * 1_000_000n),
      arr: pick(() => Array.from({ length: n % 4 }, (_, i) => n + i / 4)),
      strs: pick(() => Array.from({ length: n % 3 }, (_, i) => `s${n}.${i}`)),
    });
  }
  return rows;
}

/** The latest row per key in [start, end], computed by brute force. */
function expectedLatest(rows: readonly SourceRow[], start: bigint, end: bigint): Map<number, SourceRow> {
  const newer = (a: SourceRow, b: SourceRow) => {
    if (a.event !== b.event) return a.event > b.event;
    if (a.created === null) return false;
    return b.created === null || a.created > b.created;
  };
  const latest = new Map<number, SourceRow>();
  for (const row of rows) {
    if (row.event < start || row.event > end) continue;
    const held = latest.get(row.driver_id);
    if (!held || newer(row, held)) latest.set(row.driver_id, row);
  }
  return latest;
}

const sql = {
  text: (v: string | null) => (v === null ? 'NULL' : `'${v.replaceAll("'", "''")}'`),
  num: (v: number | null, type: string) => (v === null ? 'NULL' : `CAST(${v} AS ${type})`),
  ts: (v: bigint | null) => (v === null ? 'NULL' : `make_timestamp(${v}::BIGINT)`),
};

function valuesSql(row: SourceRow): string {
  const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `(${[
    row.driver_id,
    sql.ts(row.event),
    sql.ts(row.created),
    sql.num(row.i32, 'INTEGER'),
    sql.num(row.i64, 'BIGINT'),
    sql.num(row.f32, 'FLOAT'),
    sql.num(row.f64, 'DOUBLE'),
    sql.text(row.s),
    row.b === null ? 'NULL' : String(row.b),
    row.by === null ? 'NULL' : `from_hex('${hex(row.by)}')`,
    sql.ts(row.t),
    row.arr === null ? 'NULL' : `CAST([${row.arr.join(', ')}] AS DOUBLE[])`,
    row.strs === null ? 'NULL' : `CAST([${row.strs.map((s) => sql.text(s)).join(', ')}] AS VARCHAR[])`,
  ].join(', ')})`;
}

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const source = fileSource({ name: 'rows', path: 'rows.parquet', createdTimestampColumn: 'created' });
/** Only number features: the LMDB store encodes these rows straight from the typed columns. */
const numbers = featureView({ name: 'numbers', entities: [driver], source, schema: [field('f64', Float64), field('f32', Float32), field('i32', Int32)] });
/** Every value type. */
const mixed = featureView({
  name: 'mixed',
  entities: [driver],
  source,
  schema: [
    field('i32', Int32),
    field('i64', Int64),
    field('f32', Float32),
    field('f64', Float64),
    field('s', Str),
    field('b', Bool),
    field('by', Bytes),
    field('t', UnixTimestamp),
    field('arr', ArrayOf(Float64)),
    field('strs', ArrayOf(Str)),
  ],
});

/** A feature's value in a source row as an online read gives it back. */
function onlineValue(row: SourceRow, feature: string): unknown {
  const value = row[feature as keyof SourceRow];
  if (value === null) return null;
  if (feature === 't') return new Date(Number((value as bigint) / 1000n));
  return value;
}

const keyOf = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);

async function checkStore(online: OnlineStore, rows: readonly SourceRow[], view: FeatureView): Promise<void> {
  const expected = expectedLatest(rows, START, END);
  const ids = Array.from({ length: KEYS + 2 }, (_, i) => i);
  const features = view.features.map((f) => f.name);
  const read = await online.read('columnar', view.name, ids.map(keyOf), features);
  for (const [i, id] of ids.entries()) {
    const row = expected.get(id);
    expect(read.eventTimestamps[i], `driver ${id}: event time`).toBe(row ? row.event : null);
    for (const feature of features) {
      // LMDB's MessagePack gives bytes back as a Node Buffer: the same bytes.
      const value = read.values[feature][i];
      expect(value instanceof Uint8Array ? Uint8Array.from(value) : value, `driver ${id}: ${feature}`).toEqual(row ? onlineValue(row, feature) : null);
    }
  }
}

describe('materialize() writes columnar batches: exactly the latest row per key', () => {
  let dir: string;
  let engine: NativeDuckDBEngine;
  const datasets: { seed: number; rows: SourceRow[] }[] = [1, 2].map((seed) => ({ seed, rows: generate(seed) }));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'feast-edge-columnar-'));
    engine = await NativeDuckDBEngine.open();
  });
  afterAll(async () => {
    await engine.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function materializeInto(online: OnlineStore, rows: readonly SourceRow[], seed: number, batchRows: number): Promise<{ view: string; rows: number }[]> {
    const data = join(dir, `seed-${seed}`);
    await rm(data, { recursive: true, force: true });
    await engine.exec(`CREATE OR REPLACE TABLE rows_src (driver_id BIGINT, event_timestamp TIMESTAMP, created TIMESTAMP, i32 INTEGER, i64 BIGINT,
      f32 FLOAT, f64 DOUBLE, s VARCHAR, b BOOLEAN, "by" BLOB, t TIMESTAMP, arr DOUBLE[], strs VARCHAR[])`);
    await engine.exec(`INSERT INTO rows_src VALUES ${rows.map(valuesSql).join(',\n')}`);
    await import('node:fs/promises').then((fs) => fs.mkdir(data, { recursive: true }));
    await engine.exec(`COPY rows_src TO '${join(data, 'rows.parquet')}' (FORMAT parquet)`);
    const store = createFeatureStore({
      project: 'columnar',
      registry: new MemoryRegistryStore(),
      offlineStore: createDuckDbOfflineStore({ engine: async () => engine, sources: nodeSourceLoader(data) }),
      onlineStore: online,
    });
    await store.apply([driver, numbers, mixed]);
    const iso = (micros: bigint) => new Date(Number(micros / 1000n)).toISOString();
    return store.materialize({ start: iso(START), end: iso(END), batchRows });
  }

  for (const { seed, rows } of datasets) {
    for (const [label, open] of [
      ['memory', () => new MemoryOnlineStore()],
      ['lmdb', () => new LmdbOnlineStore(join(dir, `lmdb-${seed}-${Math.random().toString(36).slice(2)}`))],
    ] as const) {
      it(`${label}, seed ${seed}: every type, nulls, 7-row batches: the stored rows are the brute-force latest rows`, async () => {
        const online: OnlineStore = open();
        try {
          const summary = await materializeInto(online, rows, seed, 7);
          const count = expectedLatest(rows, START, END).size;
          expect(summary).toEqual([
            { view: 'numbers', rows: count },
            { view: 'mixed', rows: count },
          ]);
          await checkStore(online, rows, numbers);
          await checkStore(online, rows, mixed);
        } finally {
          await online.close();
        }
      });
    }
  }

  it('a later materialize of an older window leaves newer stored rows in place (the event-time rule holds on the columnar path)', async () => {
    const online = new LmdbOnlineStore(join(dir, 'lmdb-older-window'));
    try {
      const { rows } = datasets[0];
      await materializeInto(online, rows, 1, 7);
      const store = createFeatureStore({
        project: 'columnar',
        registry: new MemoryRegistryStore(),
        offlineStore: createDuckDbOfflineStore({ engine: async () => engine, sources: nodeSourceLoader(join(dir, 'seed-1')) }),
        onlineStore: online,
      });
      await store.apply([driver, numbers, mixed]);
      // The window ending before START holds only older rows: nothing stored may change.
      await store.materialize({ start: new Date(Number(T0 / 1000n)).toISOString(), end: new Date(Number((START - 1n) / 1000n)).toISOString(), batchRows: 5 });
      const inWindow = expectedLatest(rows, START, END);
      const before = expectedLatest(rows, T0, START - 1n);
      // Keys with a row in [START, END] keep it; keys with rows only before START now hold their latest.
      const ids = Array.from({ length: KEYS }, (_, i) => i);
      const read = await online.read('columnar', 'mixed', ids.map(keyOf), ['f64', 's']);
      ids.forEach((id, i) => {
        const row = inWindow.get(id) ?? before.get(id);
        expect(read.eventTimestamps[i], `driver ${id}`).toBe(row ? row.event : null);
        expect(read.values.s[i], `driver ${id}: s`).toEqual(row ? row.s : null);
      });
    } finally {
      await online.close();
    }
  });
});

describe('columnar writes are checked whole before anything is written', () => {
  for (const [label, open] of [
    ['memory', async () => new MemoryOnlineStore()],
    ['lmdb', async () => new LmdbOnlineStore(join(await mkdtemp(join(tmpdir(), 'feast-edge-columnar-check-')), 'db'))],
  ] as const) {
    it(`${label}: a number column shorter than the keys is refused, naming it, and nothing is stored`, async () => {
      const online = await open();
      try {
        const write = online.writeColumns!('p', {
          view: 'v',
          keys: [keyOf(1), keyOf(2)],
          eventTimestamps: BigInt64Array.of(T0, T0),
          features: { a: { numbers: Float64Array.of(1, 2) }, b: { numbers: Float64Array.of(1) } },
        });
        await expect(write).rejects.toThrow(InvalidOnlineWriteError);
        await expect(write).rejects.toThrow("feature 'b' has 1 values for 2 keys");
        const read = await online.read('p', 'v', [keyOf(1), keyOf(2)], ['a']);
        expect(read.eventTimestamps).toEqual([null, null]);
      } finally {
        await online.close();
      }
    });

    it(`${label}: nulls in a number column (validity bits) read back as null, values as written`, async () => {
      const online = await open();
      try {
        // Rows 0 and 2 valid, row 1 null: bits 0b101.
        await online.writeColumns!('p', {
          view: 'v',
          keys: [keyOf(1), keyOf(2), keyOf(3)],
          eventTimestamps: BigInt64Array.of(T0, T0, T0),
          createdTimestamps: { micros: BigInt64Array.of(T0, 0n, T0), valid: Uint8Array.of(0b101) },
          features: { a: { numbers: Float64Array.of(1.5, 99, -3), valid: Uint8Array.of(0b101) }, b: ['x', null, 'z'] },
        });
        const read = await online.read('p', 'v', [keyOf(1), keyOf(2), keyOf(3)], ['a', 'b']);
        expect(read.values).toEqual({ a: [1.5, null, -3], b: ['x', null, 'z'] });
        // Row 1's stored created time beats a missing one at an equal event time; row 2 has none, so a created time beats it.
        const again = await online.writeColumns!('p', {
          view: 'v',
          keys: [keyOf(1)],
          eventTimestamps: BigInt64Array.of(T0),
          features: { a: { numbers: Float64Array.of(7) }, b: ['p'] },
        });
        expect(again).toEqual({ written: 0, skipped: 1 });
        const replaced = await online.writeColumns!('p', {
          view: 'v',
          keys: [keyOf(2)],
          eventTimestamps: BigInt64Array.of(T0),
          createdTimestamps: { micros: BigInt64Array.of(T0 + 1n) },
          features: { a: { numbers: Float64Array.of(8) }, b: ['q'] },
        });
        expect(replaced).toEqual({ written: 1, skipped: 0 });
        expect((await online.read('p', 'v', [keyOf(2)], ['a', 'b'])).values).toEqual({ a: [8], b: ['q'] });
      } finally {
        await online.close();
      }
    });
  }
});
