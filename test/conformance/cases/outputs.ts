import { tableFromIPC } from 'apache-arrow';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import * as parquet from 'parquet-wasm';
import { expect, it } from 'vitest';
import { featureView, field, fileSource, Float64, Int64, String as Str } from '../../../src/definitions/index.js';
import { FileDatasetStorage } from '../../../src/runtime/node/file-dataset-storage.js';
import type { OracleRequest } from '../../oracle/point-in-time-oracle.js';
import { H, micros, readTable, rows, sameValue, show, table, type Columns } from '../fixtures.js';
import { driver, expectAsOracle, type Harness } from '../harness.js';

const t = (clock: string) => micros(`2021-04-12T${clock}Z`);

const src = fileSource({ name: 'out_src', path: 'out.parquet', createdTimestampColumn: 'created' });
const stats = featureView({
  name: 'out_stats',
  entities: [driver],
  ttl: '3h',
  source: src,
  schema: [field('label', Str), field('trips', Int64), field('rate', Float64)],
});
const data: Columns = {
  driver_id: { kind: 'int64', values: [1n, 1n, 2n, 3n] },
  event_timestamp: { kind: 'ts', values: [t('08:00:00.000001'), t('09:00:00'), t('09:30:00.5'), t('07:59:59')] },
  created: { kind: 'ts', values: [t('08:00:00'), t('09:00:00'), null, t('08:00:00')] },
  label: { kind: 'string', values: ['plain', 'ünïcode, "quoted"\nline', null, 'x'] },
  trips: { kind: 'int64', values: [1n, 9_007_199_254_740_993n, null, 3n] },
  rate: { kind: 'float64', values: [0.1, 1e-7, 2.5, null] },
};
const entity: Columns = {
  driver_id: { kind: 'int64', values: [1n, 2n, 3n, 1n, 4n] },
  event_timestamp: { kind: 'ts', values: [t('10:00:00.000001'), t('10:00:00'), t('11:00:00'), t('08:30:00'), t('10:00:00')] },
};
const oracle = (fullFeatureNames: boolean): OracleRequest => ({
  entityRows: rows(entity),
  fullFeatureNames,
  projections: [
    {
      view: 'out_stats',
      joinKeys: ['driver_id'],
      features: ['label', 'trips', 'rate'],
      ttl: 3n * H,
      source: { rows: rows(data), timestampField: 'event_timestamp', createdTimestampColumn: 'created' },
    },
  ],
});
const features = ['out_stats:label', 'out_stats:trips', 'out_stats:rate'];

/** Two tables hold the same columns in the same order and equal cells. */
function expectSameTable(actual: ReturnType<typeof readTable>, expected: ReturnType<typeof readTable>, what: string): void {
  expect(actual.columns, what).toEqual(expected.columns);
  expect(actual.rows.length, what).toBe(expected.rows.length);
  expected.rows.forEach((row, i) => {
    for (const c of expected.columns) {
      expect(sameValue(actual.rows[i][c], row[c]), `${what} row ${i} ${c}: got ${show(actual.rows[i][c])}, expected ${show(row[c])}`).toBe(true);
    }
  });
}

export function outputCases(h: Harness): void {
  const store = (extra = {}) => h.store([driver, stats], { out_src: table(data) }, extra);

  it('returns rows with the entity columns first, then the features, timestamps as Date', async () => {
    const s = await store();
    const job = s.getHistoricalFeatures({ entityDf: table(entity), features });
    const result = await job.toArrow();
    expectAsOracle(result, oracle(false));
    const types = readTable(result).types;
    expect(types.trips).toBe('Int64');
    expect(types.rate).toBe('Float64');
    expect(types.label).toBe('Utf8');
    const plain = await job.toRows();
    expect(Object.keys(plain[0])).toEqual(['driver_id', 'event_timestamp', 'label', 'trips', 'rate']);
    expect(plain[0].event_timestamp).toEqual(new Date('2021-04-12T10:00:00.000Z'));
    expect(plain.map((r) => r.label)).toEqual(['ünïcode, "quoted"\nline', null, null, 'plain', null]);
    expect(plain[0].trips).toBe(9_007_199_254_740_993n);
  });

  it('writes CSV whose header and cells equal the Arrow result', async () => {
    const s = await store();
    const job = s.getHistoricalFeatures({ entityDf: table(entity), features, fullFeatureNames: true });
    const expected = readTable(await job.toArrow());
    const [header, ...body] = parseCsv(new TextDecoder().decode(await job.toCSV()));
    expect(header).toEqual(expected.columns);
    expect(body.length).toBe(expected.rows.length);
    body.forEach((cells, i) => {
      expected.columns.forEach((c, j) => {
        const want = expected.rows[i][c];
        const got =
          cells[j] === ''
            ? null
            : typeof want === 'bigint' && c !== 'event_timestamp'
              ? BigInt(cells[j])
              : typeof want === 'number'
                ? Number(cells[j])
                : c === 'event_timestamp'
                  ? csvTimestamp(cells[j])
                  : cells[j];
        expect(sameValue(got, want), `CSV row ${i} ${c}: got ${show(cells[j])}, expected ${show(want)}`).toBe(true);
      });
    });
  });

  it('writes Parquet that reads back (with another reader) equal to the Arrow result', async () => {
    const s = await store();
    const job = s.getHistoricalFeatures({ entityDf: table(entity), features });
    const expected = readTable(await job.toArrow());
    const back = tableFromIPC(parquet.readParquet(await job.toParquet()).intoIPCStream());
    expectSameTable(readTable(back), expected, 'parquet');
  });

  for (const storage of ['memory', 'file'] as const) {
    it(`persists a saved dataset (${storage} storage) whose rows read back equal to toArrow()`, async () => {
      const extra = storage === 'file' ? { datasets: new FileDatasetStorage(await mkdtemp(join(h.dir(), 'repo-'))) } : {};
      const s = await store(extra);
      const job = s.getHistoricalFeatures({ entityDf: table(entity), features, fullFeatureNames: true });
      const expected = readTable(await job.toArrow());
      const saved = await job.persist('training_set');
      expect(saved).toMatchObject({ name: 'training_set', features, joinKeys: ['driver_id'], fullFeatureNames: true, rowCount: 5 });
      expect((await s.listSavedDatasets()).map((d) => d.name)).toEqual(['training_set']);
      expect(await s.getSavedDataset('training_set')).toMatchObject({ name: 'training_set', rowCount: 5 });
      expectSameTable(readTable(await s.readSavedDataset('training_set')), expected, 'saved dataset');
      await expect(job.persist('training_set')).rejects.toMatchObject({ name: 'SavedDatasetExistsError' });
      await job.persist('training_set', { allowOverwrite: true });
    });
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  return records;
}

/** A CSV timestamp: 'YYYY-MM-DD HH:MM:SS[.ffffff][Z|+hh[:mm]]', no zone = UTC. */
function csvTimestamp(text: string): bigint {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text);
  if (!m) throw new Error(`not a CSV timestamp: ${text}`);
  let zone = m[3] ?? 'Z';
  if (zone !== 'Z') zone = `${zone.slice(0, 3)}:${zone.slice(3).replace(':', '').padEnd(2, '0')}`;
  return micros(`${m[1]}T${m[2]}${zone}`);
}
