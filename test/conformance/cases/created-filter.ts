import { it } from 'vitest';
import { featureView, field, fileSource, String as Str } from '../../../src/definitions/index.js';
import type { OracleProjection } from '../../oracle/point-in-time-oracle.js';
import { D, micros, rows, table, type Columns } from '../fixtures.js';
import { driver, expectAsOracle, expectColumns, type Harness } from '../harness.js';

const t = (clock: string) => micros(`2021-04-12T${clock}Z`);

const src = fileSource({ name: 'versions_src', path: 'versions.parquet', createdTimestampColumn: 'created' });
const versions = featureView({ name: 'versions', entities: [driver], ttl: '1d', source: src, schema: [field('version', Str)] });
const data: Columns = {
  driver_id: { kind: 'int64', values: [1n, 1n, 1n, 2n, 3n, 3n, 4n, 5n] },
  event_timestamp: {
    kind: 'ts',
    values: [t('09:00:00'), t('09:00:00'), t('09:30:00'), t('09:00:00'), t('09:00:00'), t('09:30:00'), t('09:00:00'), t('09:00:00')],
  },
  created: { kind: 'ts', values: [t('09:00:00'), t('12:00:00'), t('11:00:00'), null, t('11:00:00'), t('10:30:00'), t('09:00:00'), t('11:00:00')] },
  version: { kind: 'string', values: ['kept', 'future-correction', 'future-row', 'null-created', 'all-future-a', 'all-future-b', 'd4', 'd5-future'] },
};
const entity: Columns = {
  driver_id: { kind: 'int64', values: [1n, 2n, 3n, 4n, 5n, 1n, 1n] },
  event_timestamp: { kind: 'ts', values: [t('10:00:00'), t('10:00:00'), t('10:00:00'), t('10:00:00'), t('10:00:00'), t('11:00:00'), t('12:00:00')] },
};
const projection: OracleProjection = {
  view: 'versions',
  joinKeys: ['driver_id'],
  features: ['version'],
  ttl: D,
  source: { rows: rows(data), timestampField: 'event_timestamp', createdTimestampColumn: 'created' },
};

export function createdFilterCases(h: Harness): void {
  const store = () => h.store([driver, versions], { versions_src: table(data) });

  it('filterByCreatedTimestamp excludes rows created after the entity time and rows with a null created', async () => {
    const s = await store();
    const result = await s.getHistoricalFeatures({ entityDf: table(entity), features: ['versions:version'], filterByCreatedTimestamp: true }).toArrow();
    expectColumns(result, {
      // Driver 3: every candidate is future-created, row kept; driver 5 does not borrow driver 4's row.
      // At 11:00 the 09:30 row created at exactly 11:00 qualifies (inclusive).
      driver_id: [1n, 2n, 3n, 4n, 5n, 1n, 1n],
      version: ['kept', null, null, 'd4', null, 'future-row', 'future-row'],
    });
    expectAsOracle(result, { entityRows: rows(entity), projections: [projection], fullFeatureNames: false, filterByCreatedTimestamp: true });
  });

  it('without filterByCreatedTimestamp serves the newest version whenever it was created', async () => {
    const s = await store();
    for (const filterByCreatedTimestamp of [false, undefined]) {
      const result = await s
        .getHistoricalFeatures({
          entityDf: table(entity),
          features: ['versions:version'],
          ...(filterByCreatedTimestamp === undefined ? {} : { filterByCreatedTimestamp }),
        })
        .toArrow();
      expectColumns(result, { version: ['future-row', 'null-created', 'all-future-b', 'd4', 'd5-future', 'future-row', 'future-row'] });
      expectAsOracle(result, { entityRows: rows(entity), projections: [projection], fullFeatureNames: false });
    }
  });

  it('filterByCreatedTimestamp has no effect on a view whose source has no created column', async () => {
    const plain = fileSource({ name: 'plain_src', path: 'plain.parquet' });
    const view = featureView({ name: 'plain', entities: [driver], ttl: '1d', source: plain, schema: [field('version', Str)] });
    const plainData: Columns = { driver_id: data.driver_id, event_timestamp: data.event_timestamp, version: data.version };
    const s = await h.store([driver, view], { plain_src: table(plainData) });
    const result = await s.getHistoricalFeatures({ entityDf: table(entity), features: ['plain:version'], filterByCreatedTimestamp: true }).toArrow();
    expectAsOracle(result, {
      entityRows: rows(entity),
      fullFeatureNames: false,
      filterByCreatedTimestamp: true,
      projections: [
        { view: 'plain', joinKeys: ['driver_id'], features: ['version'], ttl: D, source: { rows: rows(plainData), timestampField: 'event_timestamp' } },
      ],
    });
    // The same answers as without the filter: there is no created timestamp to filter on.
    expectColumns(result, { version: ['future-row', 'null-created', 'all-future-b', 'd4', 'd5-future', 'future-row', 'future-row'] });
  });
}
