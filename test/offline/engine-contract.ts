import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { cell, table } from '../conformance/fixtures.js';

/** What every SqlEngine must do the same way; run against native DuckDB and DuckDB-WASM. */
export function runEngineContract(label: string, create: () => Promise<SqlEngine>): void {
  describe(`SqlEngine contract: ${label}`, () => {
    let engine: SqlEngine;
    let dir: string;
    beforeAll(async () => {
      engine = await create();
      dir = await mkdtemp(join(tmpdir(), 'feast-edge-engine-'));
    });
    afterAll(async () => {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    });

    it('returns BIGINT as bigint, keeps microseconds, nulls, booleans, strings, blobs and lists', async () => {
      const t = await engine.query(`SELECT 9007199254740993::BIGINT AS big, 7::INTEGER AS i, 1.5::DOUBLE AS d, NULL::DOUBLE AS n,
        true AS b, 'ü' AS s, '\\xAA\\xBB'::BLOB AS bytes, TIMESTAMP '2021-04-12 10:59:42.123456' AS ts, [1, 2, 3]::BIGINT[] AS list`);
      expect(cell(t, 'big', 0)).toBe(9007199254740993n);
      expect(cell(t, 'i', 0)).toBe(7);
      expect(cell(t, 'd', 0)).toBe(1.5);
      expect(cell(t, 'n', 0)).toBe(null);
      expect(cell(t, 'b', 0)).toBe(true);
      expect(cell(t, 's', 0)).toBe('ü');
      expect([...(t.getChild('bytes')!.get(0) as Uint8Array)]).toEqual([0xaa, 0xbb]);
      expect(cell(t, 'ts', 0)).toBe(1618225182123456n);
      expect([...(t.getChild('list')!.get(0) as Iterable<bigint>)]).toEqual([1n, 2n, 3n]);
    });

    it('casts an offset timestamp string through TIMESTAMPTZ to UTC', async () => {
      const t = await engine.query(`SELECT CAST(CAST('2021-04-12T10:00:00+01:00' AS TIMESTAMPTZ) AS TIMESTAMP) AS ts`);
      expect(cell(t, 'ts', 0)).toBe(1618218000000000n); // 09:00 UTC
    });

    it('registers an Arrow table, replaces it, and drops it', async () => {
      await engine.registerArrow('arrow_view', table({ k: { kind: 'int64', values: [1n, 2n] }, ts: { kind: 'ts', values: [5n, null] } }));
      expect(cell(await engine.query('SELECT sum(k)::BIGINT AS s FROM arrow_view'), 's', 0)).toBe(3n);
      expect(cell(await engine.query('SELECT ts FROM arrow_view ORDER BY k'), 'ts', 0)).toBe(5n);
      await engine.registerArrow('arrow_view', table({ k: { kind: 'int64', values: [10n] } }));
      expect(cell(await engine.query('SELECT sum(k)::BIGINT AS s FROM arrow_view'), 's', 0)).toBe(10n);
      await engine.unregister('arrow_view');
      await expect(engine.query('SELECT * FROM arrow_view')).rejects.toThrow();
      await engine.unregister('arrow_view');
    });

    it('registers Parquet and CSV files and bytes, reading only the columns asked for', async () => {
      const parquet = await engine.export(`SELECT * FROM (VALUES (1::BIGINT, 'a', 0.5::DOUBLE), (2::BIGINT, 'b', 1.5::DOUBLE)) t(id, name, score)`, 'parquet');
      await writeFile(join(dir, 'f.parquet'), parquet);
      await writeFile(join(dir, 'f.csv'), 'id,name,score\n1,a,0.5\n2,b,1.5\n');
      for (const [view, register] of [
        ['pq_file', () => engine.registerFile('pq_file', join(dir, 'f.parquet'), 'parquet', ['id', 'score'])],
        ['csv_file', () => engine.registerFile('csv_file', join(dir, 'f.csv'), 'csv', ['id', 'score'])],
        ['pq_bytes', () => engine.registerBytes('pq_bytes', parquet, 'parquet', ['id', 'score'])],
      ] as const) {
        await register();
        const t = await engine.query(`SELECT * FROM ${view} ORDER BY id`);
        expect(t.schema.fields.map((f) => f.name)).toEqual(['id', 'score']);
        expect(cell(t, 'score', 1)).toBe(1.5);
        await engine.unregister(view);
      }
    });

    it('exports CSV with a header and Parquet that reads back equal', async () => {
      const csv = new TextDecoder().decode(
        await engine.export(
          `SELECT 1 AS a, 'x,y' AS b, TIMESTAMP '2021-01-01 00:00:00.5' AS t, TIMESTAMP '2021-01-01 10:59:42' AS s, CAST(0.53 AS FLOAT) AS f, 14.0::DOUBLE AS d, 0.1::DOUBLE AS e, NULL::DOUBLE AS n`,
          'csv',
        ),
      );
      const lines = csv.trim().split('\n');
      expect(lines[0]).toBe('a,b,t,s,f,d,e,n');
      // The same text on every engine: RFC 3339 with Z, a float32 in its own digits, floats with a decimal point.
      expect(lines[1]).toBe('1,"x,y",2021-01-01T00:00:00.500000Z,2021-01-01T10:59:42Z,0.53,14.0,0.1,');
      await engine.registerBytes(
        'round_trip',
        await engine.export(`SELECT 42::BIGINT AS v, TIMESTAMP '2021-01-01 00:00:00.000007' AS t`, 'parquet'),
        'parquet',
      );
      const t = await engine.query('SELECT * FROM round_trip');
      expect(cell(t, 'v', 0)).toBe(42n);
      expect(cell(t, 't', 0)).toBe(1609459200000007n);
      await engine.unregister('round_trip');
    });

    it('runs ASOF LEFT JOIN', async () => {
      const t = await engine.query(`SELECT e.k, f.v FROM (VALUES (1, 10), (1, 3), (2, 10)) e(k, t)
        ASOF LEFT JOIN (VALUES (1, 5, 'five'), (1, 8, 'eight')) f(k, t, v) ON e.k = f.k AND e.t >= f.t ORDER BY e.k, e.t`);
      expect([0, 1, 2].map((i) => cell(t, 'v', i))).toEqual([null, 'eight', null]);
    });

    it('fails fast, not hanging, on a function from an extension it does not have loaded', async () => {
      const outcome = await Promise.race([
        engine.query(`SELECT * FROM read_json_auto('${join(dir, 'missing.json')}')`).then(
          () => 'answered',
          () => 'failed',
        ),
        new Promise((resolve) => setTimeout(() => resolve('still waiting after 20 s'), 20_000)),
      ]);
      expect(['failed', 'answered']).toContain(outcome);
    });

    it('registers a query over other views', async () => {
      await engine.registerArrow('base_view', table({ k: { kind: 'int64', values: [1n, 2n, 3n] } }));
      await engine.registerQuery('derived_view', 'SELECT k * 2 AS k2 FROM base_view WHERE k > 1');
      expect(cell(await engine.query('SELECT sum(k2)::BIGINT AS s FROM derived_view'), 's', 0)).toBe(10n);
      await engine.unregister('derived_view');
      await engine.unregister('base_view');
    });
  });
}
