import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { featureView, field, fileSource, Float64, String as Str } from '../../../src/definitions/index.js';
import type { OracleProjection } from '../../oracle/point-in-time-oracle.js';
import { H, isoUtc, micros, readTable, rows, table, type Columns } from '../fixtures.js';
import { driver, expectAsOracle, expectColumns, type Harness } from '../harness.js';

const t = (clock: string) => micros(`2021-04-12T${clock}Z`);

// Rows a microsecond apart around the entity times, so any lost precision shows.
const src = fileSource({ name: 'precise_src', path: 'precise.parquet' });
// Not read by any view: only queried by SQL entity dataframes.
const entitySrc = fileSource({ name: 'entity_src', path: 'entity.parquet' });
const precise = featureView({ name: 'precise', entities: [driver], ttl: '1h', source: src, schema: [field('tag', Str), field('rate', Float64)] });
const data: Columns = {
  driver_id: { kind: 'int64', values: [1n, 1n, 1n, 2n, 2n] },
  event_timestamp: { kind: 'ts', values: [t('09:00:00.000001'), t('10:00:00.123456'), t('10:00:00.123457'), t('08:59:59.999999'), t('09:00:00.000002')] },
  tag: { kind: 'string', values: ['early', 'exact', 'future', 'd2-early', 'd2-late'] },
  rate: { kind: 'float64', values: [0.1, 0.2, 0.3, 0.4, 0.5] },
};
const oracleView: OracleProjection = {
  view: 'precise',
  joinKeys: ['driver_id'],
  features: ['tag', 'rate'],
  ttl: H,
  source: { rows: rows(data), timestampField: 'event_timestamp' },
};

/** The entity rows every input format carries: microseconds, duplicates, and a row outside the ttl. */
const entityColumns: Columns = {
  driver_id: { kind: 'int64', values: [1n, 2n, 1n, 1n, 2n, 1n, 2n] },
  event_timestamp: {
    kind: 'ts',
    values: [
      t('10:00:00.123456'),
      t('09:00:00.000001'),
      t('10:00:00.123456'),
      t('10:00:00.000001'),
      t('10:00:00.000002'),
      t('10:00:00.123456'),
      t('10:00:00.000003'),
    ],
  },
};
const BASE_TS = t('10:00:00');
const expectedTags = ['exact', 'd2-early', 'exact', 'early', 'd2-late', 'exact', null];

export function entityDfCases(h: Harness): void {
  const store = () => h.store([driver, precise, entitySrc], { precise_src: table(data), entity_src: table(entityColumns) });

  it('keeps every entity row in order, exact duplicates included', async () => {
    const s = await store();
    const result = await s.getHistoricalFeatures({ entityDf: table(entityColumns), features: ['precise:tag', 'precise:rate'] }).toArrow();
    expect(result.numRows).toBe(7);
    expectColumns(result, { driver_id: [1n, 2n, 1n, 1n, 2n, 1n, 2n], tag: expectedTags });
    expectAsOracle(result, { entityRows: rows(entityColumns), projections: [oracleView], fullFeatureNames: false });
  });

  it('reads zoned entity timestamps as instants, naive ones as UTC, and keeps microseconds in the result', async () => {
    const s = await store();
    const entityDf = [
      { driver_id: 1, event_timestamp: '2021-04-12T11:00:00.123456+01:00' },
      { driver_id: 1, event_timestamp: '2021-04-12 10:00:00.123456' },
      { driver_id: 1, event_timestamp: '2021-04-12T10:00:00.123456Z' },
      { driver_id: 1, event_timestamp: '2021-04-12T03:00:00.123456-07:00' },
      { driver_id: 1, event_timestamp: '2021-04-12T10:00:00.123455' },
    ];
    const result = await s.getHistoricalFeatures({ entityDf, features: ['precise:tag'] }).toArrow();
    const exact = t('10:00:00.123456');
    expectColumns(result, { event_timestamp: [exact, exact, exact, exact, exact - 1n], tag: ['exact', 'exact', 'exact', 'exact', null] });
    expect(String(result.schema.fields.find((f) => f.name === 'event_timestamp')!.type)).toMatch(/^Timestamp<MICROSECOND/);
    // Date objects carry milliseconds: 10:00:00.123 is before 'exact' and over an hour after 'early'.
    const dates = await s
      .getHistoricalFeatures({ entityDf: [{ driver_id: 1, event_timestamp: new Date('2021-04-12T10:00:00.123Z') }], features: ['precise:tag'] })
      .toRows();
    expect(dates).toEqual([{ driver_id: 1, event_timestamp: new Date('2021-04-12T10:00:00.123Z'), tag: null }]);
  });

  it('infers the entity timestamp column when it is the only timestamp column', async () => {
    const s = await store();
    const entity: Columns = { driver_id: { kind: 'int64', values: [1n] }, ts: { kind: 'ts', values: [t('10:00:00.123456')] } };
    const result = await s.getHistoricalFeatures({ entityDf: table(entity), features: ['precise:tag'] }).toArrow();
    expectColumns(result, { ts: [t('10:00:00.123456')], tag: ['exact'] });
    expectAsOracle(result, {
      entityRows: rows(entity),
      entityTimestampColumn: 'ts',
      projections: [{ ...oracleView, features: ['tag'] }],
      fullFeatureNames: false,
    });
  });

  it('refuses an entity dataframe with several timestamp columns and none named event_timestamp', async () => {
    const s = await store();
    const entity: Columns = {
      driver_id: { kind: 'int64', values: [1n] },
      ts_a: { kind: 'ts', values: [BASE_TS] },
      ts_b: { kind: 'ts', values: [BASE_TS] },
    };
    await expect(s.getHistoricalFeatures({ entityDf: table(entity), features: ['precise:tag'] }).toArrow()).rejects.toMatchObject({
      name: 'EntityTimestampInferenceException',
      message: expect.stringMatching(/ts_a|event_timestamp/),
    });
  });

  it('accepts the entity dataframe as rows, Arrow, CSV and Parquet files and bytes, and SQL, with one answer', async () => {
    const s = await store();
    const entityRows = rows(entityColumns);
    const csvNaive =
      [
        'driver_id,event_timestamp',
        ...entityRows.map(
          (r) =>
            `${r.driver_id},${isoUtc(r.event_timestamp as bigint)
              .replace('T', ' ')
              .replace('Z', '')}`,
        ),
      ].join('\n') + '\n';
    // Offsets in a file: the instant is what counts.
    const csvZoned = ['driver_id,event_timestamp', ...entityRows.map((r) => `${r.driver_id},${zoned(r.event_timestamp as bigint, 2)}`)].join('\n') + '\n';
    const values = entityRows.map((r) => `(${r.driver_id}::BIGINT, make_timestamp(${r.event_timestamp}::BIGINT))`).join(', ');
    const valuesSql = `SELECT * FROM (VALUES ${values}) AS t(driver_id, event_timestamp)`;
    const parquet = await h.engine().export(valuesSql, 'parquet');
    const dir = h.dir();
    await writeFile(join(dir, `entity-${h.label}.csv`), csvNaive);
    await writeFile(join(dir, `entity-zoned-${h.label}.csv`), csvZoned);
    await writeFile(join(dir, `entity-${h.label}.parquet`), parquet);
    const inputs = {
      rows: entityRows.map((r) => ({ driver_id: Number(r.driver_id), event_timestamp: isoUtc(r.event_timestamp as bigint) })),
      arrow: table(entityColumns),
      csvPath: { path: join(dir, `entity-${h.label}.csv`) },
      zonedCsvPath: { path: join(dir, `entity-zoned-${h.label}.csv`) },
      csvBytes: { bytes: new TextEncoder().encode(csvNaive), format: 'csv' as const },
      parquetPath: { path: join(dir, `entity-${h.label}.parquet`) },
      parquetBytes: { bytes: parquet, format: 'parquet' as const },
      sqlValues: { sql: valuesSql },
      sqlOverSource: { sql: 'SELECT driver_id, event_timestamp FROM entity_src' },
    };
    const failures: string[] = [];
    for (const [name, entityDf] of Object.entries(inputs)) {
      try {
        const result = await s.getHistoricalFeatures({ entityDf, features: ['precise:tag', 'precise:rate'] }).toArrow();
        expectAsOracle(result, { entityRows, projections: [oracleView], fullFeatureNames: false }, name);
        expectColumns(result, { tag: expectedTags });
      } catch (error) {
        failures.push(`${name}: ${(error as Error).message.split('\n').slice(0, 4).join(' / ')}`);
      }
    }
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('accepts the entity dataframe as an http(s) URL of a CSV or Parquet file', async () => {
    const s = await store();
    const values = rows(entityColumns)
      .map((r) => `(${r.driver_id}::BIGINT, make_timestamp(${r.event_timestamp}::BIGINT))`)
      .join(', ');
    const files: Record<string, Uint8Array> = {
      '/entity.parquet': await h.engine().export(`SELECT * FROM (VALUES ${values}) AS t(driver_id, event_timestamp)`, 'parquet'),
      '/entity.csv': new TextEncoder().encode(
        ['driver_id,event_timestamp', ...rows(entityColumns).map((r) => `${r.driver_id},${isoUtc(r.event_timestamp as bigint)}`)].join('\n') + '\n',
      ),
    };
    const server = createServer((req, res) => {
      const body = files[req.url ?? ''];
      res.writeHead(body ? 200 : 404).end(body ?? 'not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const path of ['/entity.parquet', '/entity.csv']) {
        const result = await s.getHistoricalFeatures({ entityDf: { path: `${base}${path}` }, features: ['precise:tag', 'precise:rate'] }).toArrow();
        expectAsOracle(result, { entityRows: rows(entityColumns), projections: [oracleView], fullFeatureNames: false }, path);
      }
    } finally {
      server.close();
    }
  });

  it('lets a SQL entity dataframe keep its own column order and extra columns', async () => {
    const s = await store();
    const result = await s
      .getHistoricalFeatures({
        entityDf: { sql: "SELECT event_timestamp, 'x' || driver_id AS note, driver_id FROM entity_src" },
        features: ['precise:tag'],
      })
      .toArrow();
    const got = readTable(result);
    expect(got.columns).toEqual(['event_timestamp', 'note', 'driver_id', 'tag']);
    expectColumns(result, { tag: expectedTags, note: ['x1', 'x2', 'x1', 'x1', 'x2', 'x1', 'x2'] });
  });

  it('returns no rows, with every column, for an empty entity dataframe', async () => {
    const s = await store();
    const empty: Columns = { driver_id: { kind: 'int64', values: [] }, event_timestamp: { kind: 'ts', values: [] } };
    const result = await s.getHistoricalFeatures({ entityDf: table(empty), features: ['precise:tag', 'precise:rate'] }).toArrow();
    expect(readTable(result).columns).toEqual(['driver_id', 'event_timestamp', 'tag', 'rate']);
    expect(result.numRows).toBe(0);
  });
}

/** The instant written in a fixed offset (+hh:00), microseconds kept. */
function zoned(value: bigint, offsetHours: number): string {
  const local = isoUtc(value + BigInt(offsetHours) * H);
  return `${local.slice(0, -1)}+${String(offsetHours).padStart(2, '0')}:00`;
}
