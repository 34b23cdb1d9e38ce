import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Float32, Float64, Int64 } from '../../src/definitions/index.js';
import { feastSqliteTable, feastValueText } from '../../src/feast/sqlite-layout.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { FeastSqliteOnlineStore } from '../../src/feast/sqlite-online-store.js';
import { loadSqlJs, openFeastSqliteOnlineStore } from '../../src/runtime/node/sqlite/feast-sqlite-file.js';
import { runOnlineStoreContract } from '../online/store-contract.js';
import { expectFeastAnswer } from './feast-answer-reads.js';
import {
  comparable,
  expectedValue,
  fromHex,
  readFixture,
  readJsonFixture,
  REPOS,
  toHex,
  viewReads,
  viewSchemas,
  type OnlineRequest,
  type RedisKeyFixture,
} from './online-fixtures.js';

let SQL: SqlJsStatic;
beforeAll(async () => {
  SQL = await loadSqlJs();
});

runOnlineStoreContract('Feast SQLite layout (sql.js)', async () => new FeastSqliteOnlineStore({ sqlJs: await loadSqlJs() }));

/** Every row of a view's table in a Feast SQLite file, by entity key and feature. */
function tableRows(sql: SqlJsStatic, bytes: Uint8Array, table: string): Map<string, unknown[]> {
  const db = new sql.Database(bytes);
  try {
    const [result] = db.exec(`SELECT entity_key, feature_name, value, value_text, event_ts, created_ts FROM "${table}"`);
    return new Map((result?.values ?? []).map((row) => [`${toHex(row[0] as Uint8Array)}/${row[1]}`, row]));
  } finally {
    db.close();
  }
}

function tableNames(sql: SqlJsStatic, bytes: Uint8Array): string[] {
  const db = new sql.Database(bytes);
  try {
    return (db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map(([name]) => String(name));
  } finally {
    db.close();
  }
}

const isoMicros = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

for (const repo of REPOS) {
  describe(`Feast's SQLite online store of the ${repo} repo (online_store.db)`, () => {
    const requests = readJsonFixture<{ requests: OnlineRequest[] }>(repo, 'online-expected.json').requests.filter((r) => !r.error);

    it.each(requests.map((r) => [r.name, r] as const))('answers %s with the values and event times Feast answered', async (_, request) => {
      const store = new FeastSqliteOnlineStore({ sqlJs: SQL, data: readFixture(repo, 'online_store.db') });
      const reads = viewReads(repo, request);
      expect(reads.length, 'the request reads at least one feature view').toBeGreaterThan(0);
      // Feast's SQLite store answers NOT_FOUND (time 1970) exactly where no row exists.
      await expectFeastAnswer(store, repo, request, reads, (feast) =>
        feast.statuses.map((s, i) => (s === 'NOT_FOUND' ? null : isoMicros(feast.event_timestamps[i]))),
      );
      await store.close();
    });

    it('computes value_text as Feast did, for every row of every table', () => {
      const bytes = readFixture(repo, 'online_store.db');
      let rows = 0;
      for (const table of tableNames(SQL, bytes)) {
        for (const row of tableRows(SQL, bytes, table).values()) {
          expect(feastValueText(row[2] as Uint8Array), `${table} ${row[1]}`).toBe(row[3]);
          rows++;
        }
      }
      expect(rows).toBe(repo === 'rich' ? 300 : 60);
    });

    it('writes the rows Feast materialized to the same value blobs, value_text and times', async () => {
      const feastDb = readFixture(repo, 'online_store.db');
      const views = viewSchemas(repo);
      // Feast's own decoding of the values it materialized (the Redis run of the same materialize).
      const decoded = new Map<string, unknown>();
      for (const hash of readJsonFixture<RedisKeyFixture[]>(repo, 'redis-keys.json')) {
        const entityKey = hash.key_hex.slice(0, hash.key_hex.length - 2 * Buffer.byteLength(hash.decoded.project_suffix));
        for (const field of Object.values(hash.decoded.fields)) if (field.value) decoded.set(`${entityKey}/${field.name}`, field.value);
      }
      const store = new FeastSqliteOnlineStore({ sqlJs: SQL });
      let compared = 0;
      for (const view of views.values()) {
        const table = feastSqliteTable(repo, view.name);
        const feastRows = [...tableRows(SQL, feastDb, table).values()];
        const writable = Object.keys(view.features).filter((f) => view.features[f]);
        const byKey = new Map<string, unknown[][]>();
        for (const row of feastRows) byKey.set(toHex(row[0] as Uint8Array), [...(byKey.get(toHex(row[0] as Uint8Array)) ?? []), row]);
        if (byKey.size === 0) continue;
        const keys = [...byKey.keys()];
        const first = keys.map((k) => byKey.get(k)![0]);
        await store.write(repo, {
          view: view.name,
          keys: keys.map(fromHex),
          eventTimestamps: first.map((row) => BigInt(row[4] as number) * 1_000_000n),
          createdTimestamps: first.map((row) => (row[5] === null ? null : BigInt(row[5] as number) * 1_000_000n)),
          features: Object.fromEntries(
            writable.map((f) => [
              f,
              keys.map((k) => {
                const value = decoded.get(`${k}/${view.name}:${f}`);
                if (!value) throw new Error(`no Feast decoding of ${view.name}:${f} for key ${k}`);
                return expectedValue(value as Record<string, unknown>);
              }),
            ]),
          ),
          featureTypes: Object.fromEntries(writable.map((f) => [f, view.features[f]!])),
        });
        const ours = tableRows(SQL, store.export(), table);
        for (const row of feastRows) {
          if (!writable.includes(row[1] as string)) continue;
          const mine = ours.get(`${toHex(row[0] as Uint8Array)}/${row[1]}`);
          expect(mine && comparable(mine), `${table} ${row[1]}`).toEqual(comparable(row));
          compared++;
        }
      }
      // Every row Feast wrote, less quickstart's Map, Json and Struct features (read-only types here).
      expect(compared).toBe(repo === 'rich' ? 300 : 30);
      await store.close();
    });
  });
}

describe('FeastSqliteOnlineStore', () => {
  const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
  const rich = () => new FeastSqliteOnlineStore({ sqlJs: SQL, data: readFixture('rich', 'online_store.db') });
  const T = 1_736_226_000_000_000n;

  it("keeps the event-time rule over Feast's rows (Feast's own SQLite store would overwrite)", async () => {
    const store = rich();
    const older = await store.write('rich', {
      view: 'driver_stats',
      keys: [key(1001)],
      eventTimestamps: [T - 1_000_000n],
      features: { conv_rate: [0.9] },
      featureTypes: { conv_rate: Float32 },
    });
    expect(older).toEqual({ written: 0, skipped: 1 });
    expect((await store.read('rich', 'driver_stats', [key(1001)], ['conv_rate'])).values.conv_rate).toEqual([Math.fround(0.5411829)]);
    const newer = await store.write('rich', {
      view: 'driver_stats',
      keys: [key(1001)],
      eventTimestamps: [T + 1_000_000n],
      features: { conv_rate: [0.25] },
      featureTypes: { conv_rate: Float32 },
    });
    expect(newer).toEqual({ written: 1, skipped: 0 });
    const read = await store.read('rich', 'driver_stats', [key(1001)], ['conv_rate', 'acc_rate']);
    // The write replaced the feature it carried; acc_rate is still Feast's (an older event).
    expect(read).toEqual({ eventTimestamps: [T + 1_000_000n], values: { conv_rate: [0.25], acc_rate: [0.763181] } });
    await store.close();
  });

  it('keeps whole seconds, as Feast stores event_ts', async () => {
    const store = new FeastSqliteOnlineStore({ sqlJs: SQL });
    await store.write('p', { view: 'v', keys: [key(1)], eventTimestamps: [T + 999_999n], features: { x: [1.5] }, featureTypes: { x: Float64 } });
    expect((await store.read('p', 'v', [key(1)], ['x'])).eventTimestamps).toEqual([T]);
    const [row] = [...tableRows(SQL, store.export(), 'p_v').values()];
    expect(row.slice(3)).toEqual(['1.5', Number(T / 1_000_000n), null]);
    await store.close();
  });

  it('answers a key asked twice twice, and a view with no table as not found', async () => {
    const store = rich();
    const read = await store.read('rich', 'driver_stats', [key(1001), key(9999), key(1001)], ['avg_daily_trips']);
    expect(read.values.avg_daily_trips).toEqual([372, null, 372]);
    expect(read.eventTimestamps).toEqual([T, null, T]);
    expect((await store.read('rich', 'no_such_view', [key(1001)], ['x'])).eventTimestamps).toEqual([null]);
    await store.close();
  });

  it('refuses bytes that are not a SQLite file', () => {
    expect(() => new FeastSqliteOnlineStore({ sqlJs: SQL, data: new TextEncoder().encode('not a database, not at all......') })).toThrow(
      'not a SQLite database',
    );
  });

  describe('on disk (Node)', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'feast-edge-feast-sqlite-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('creates the file on first write, replaces it atomically, and a new open reads it back', async () => {
      const path = join(dir, 'data', 'online_store.db');
      const store = await openFeastSqliteOnlineStore(path);
      await store.write('p', { view: 'v', keys: [key(1), key(2)], eventTimestamps: [T, T], features: { x: ['a', 'b'] } });
      await store.close();
      expect(await readdir(join(dir, 'data'))).toEqual(['online_store.db']);
      const again = await openFeastSqliteOnlineStore(path);
      expect((await again.read('p', 'v', [key(2)], ['x'])).values.x).toEqual(['b']);
      await again.deleteView('p', 'v');
      await again.close();
      expect(tableNames(SQL, await readFile(path))).toEqual([]);
    });

    it("opens Feast's own file and serves it", async () => {
      const store = await openFeastSqliteOnlineStore(join(import.meta.dirname, '..', 'fixtures', 'feast', 'quickstart', 'online_store.db'));
      const read = await store.read('quickstart', 'driver_hourly_stats', [key(1001)], ['avg_daily_trips', 'driver_config']);
      expect(read.values.avg_daily_trips).toEqual([256]);
      expect(JSON.parse(read.values.driver_config[0] as string)).toEqual({ max_distance_km: 72, preferred_zones: ['west', 'north'] });
      await store.close();
    });
  });
});
