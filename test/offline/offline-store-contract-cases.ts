/**
 * The offline store contract as plain async cases with no test-runner import, so the same
 * cases run under vitest in Node (native DuckDB, DuckDB-WASM) and inside Chromium (the
 * browser's async DuckDB-WASM backend). Every expectation is computed by hand from the
 * six source rows below.
 */
import { entity, featureView, field, fileSource, Float64, Int64 } from '../../src/definitions/index.js';
import type { OfflineStore } from '../../src/offline/offline-store.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { Registry } from '../../src/registry/registry.js';
import { assertEqual, assertRejects } from '../support/contract-asserts.js';
import { runCases, type ContractCase, type ContractOutcome } from '../support/contract-cases.js';

export type { ContractOutcome };

/** A fresh store per case over one shared engine: cases register their own data. */
export interface OfflineStoreSubject {
  newStore(): OfflineStore;
}

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const source = fileSource({ name: 'stats_src', path: 'stats.csv', timestampField: 'event_timestamp', createdTimestampColumn: 'created' });
const stats = featureView({
  name: 'stats',
  entities: [driver],
  ttl: '2h',
  source,
  schema: [field('driver_id', Int64), field('conv', Float64), field('trips', Int64)],
});

// driver 1: 08:00 (0.1), 09:00 twice (created 09:00 -> 0.2, created 09:30 -> 0.3), 11:00 (0.9);
// driver 2: 07:00 (0.7); driver 3: 09:50 with null features. Times are UTC.
const CSV = [
  'driver_id,event_timestamp,created,conv,trips',
  '1,2021-04-12 08:00:00,2021-04-12 08:00:00,0.1,10',
  '1,2021-04-12 09:00:00,2021-04-12 09:00:00,0.2,20',
  '1,2021-04-12 09:00:00,2021-04-12 09:30:00,0.3,30',
  '1,2021-04-12 11:00:00,2021-04-12 11:00:00,0.9,90',
  '2,2021-04-12 07:00:00,2021-04-12 07:00:00,0.7,70',
  '3,2021-04-12 09:50:00,2021-04-12 09:50:00,,',
].join('\n');

const at = (hhmm: string) => `2021-04-12T${hhmm}:00Z`;
const micros = (hhmm: string) => BigInt(Date.parse(at(hhmm))) * 1000n;

const ENTITY_ROWS = [
  { driver_id: 1, event_timestamp: at('10:00') },
  { driver_id: 2, event_timestamp: at('10:00') },
  { driver_id: 3, event_timestamp: at('10:00') },
  { driver_id: 4, event_timestamp: at('10:00') },
  { driver_id: 1, event_timestamp: at('08:00') },
  { driver_id: 1, event_timestamp: at('10:00') },
];
/** conv and trips per entity row above: ttl 2h, both bounds inclusive, ties to the newer created time. */
const EXPECTED = [
  [0.3, 30],
  [null, null],
  [null, null],
  [null, null],
  [0.1, 10],
  [0.3, 30],
];

async function contextFor() {
  const registry = new Registry(new MemoryRegistryStore(), 'contract');
  await registry.apply([driver, source, stats]);
  return { document: await registry.document(), onDemandCode: new Map(), streamCode: new Map() };
}

function withData(subject: OfflineStoreSubject): OfflineStore {
  const store = subject.newStore();
  store.registerSourceData('stats_src', new TextEncoder().encode(CSV));
  return store;
}

const features = ['stats:conv', 'stats:trips'];
const featureCells = (rows: Record<string, unknown>[]) => rows.map((r) => [r.conv ?? null, r.trips ?? null]);

export const offlineStoreContractCases: readonly ContractCase<OfflineStoreSubject>[] = [
  {
    name: 'joins each entity row with the latest row at or before its time within the ttl, keeping every row in order',
    async run(subject) {
      const job = withData(subject).getHistoricalFeatures({ entityDf: ENTITY_ROWS, features }, await contextFor());
      const rows = await job.toRows();
      assertEqual(
        rows.map((r) => r.driver_id),
        [1, 2, 3, 4, 1, 1],
        'entity rows',
      );
      assertEqual(featureCells(rows), EXPECTED, 'features');
      const result = await job.result();
      assertEqual([result.featureRefs, result.joinKeys, result.timestampColumn], [features, ['driver_id'], 'event_timestamp'], 'result description');
    },
  },
  {
    name: 'exports a training set as CSV and Parquet',
    async run(subject) {
      const job = withData(subject).getHistoricalFeatures({ entityDf: ENTITY_ROWS.slice(0, 1), features }, await contextFor());
      const csv = new TextDecoder()
        .decode(await job.toCSV())
        .trim()
        .split(/\r?\n/);
      assertEqual(csv[0].split(','), ['driver_id', 'event_timestamp', 'conv', 'trips'], 'CSV header');
      assertEqual(csv.length, 2, 'CSV lines');
      const parquet = await job.toParquet();
      assertEqual(new TextDecoder().decode(parquet.slice(0, 4)), 'PAR1', 'Parquet magic');
    },
  },
  {
    name: 'pulls the latest row per entity key within [start, end], ties to the newer created time',
    async run(subject) {
      const latest = await withData(subject).pullLatest(stats, micros('00:00'), micros('10:00'), { batchRows: 2 });
      assertEqual(latest.rowCount, 3, 'row count');
      const rows: [unknown, bigint, unknown, unknown][] = [];
      for await (const batch of latest.batches) {
        for (let i = 0; i < batch.rows; i++) rows.push([batch.joinKeys[0][i], batch.eventTimestamps[i], batch.features.conv[i], batch.features.trips[i]]);
      }
      rows.sort((a, b) => Number(a[0]) - Number(b[0]));
      assertEqual(
        rows,
        [
          [1, micros('09:00'), 0.3, 30],
          [2, micros('07:00'), 0.7, 70],
          [3, micros('09:50'), null, null],
        ],
        'latest rows',
      );
    },
  },
  {
    name: 'appends checked rows that later reads see, and refuses a bad write whole',
    async run(subject) {
      const store = withData(subject);
      await store.writeRows(source, [{ view: stats, rows: [{ driver_id: 4, event_timestamp: at('09:55'), created: at('09:55'), conv: 0.44, trips: 44 }] }]);
      await assertRejects(
        store.writeRows(source, [
          {
            view: stats,
            rows: [
              { driver_id: 5, event_timestamp: at('09:00'), conv: 0.5, trips: 5 },
              { driver_id: 6, event_timestamp: at('09:00'), conv: 0.6, trips: 'many' },
            ],
          },
        ]),
        /trips/,
        'a bad value',
      );
      const rows = await store
        .getHistoricalFeatures(
          {
            entityDf: [
              { driver_id: 4, event_timestamp: at('10:00') },
              { driver_id: 5, event_timestamp: at('10:00') },
            ],
            features,
          },
          await contextFor(),
        )
        .toRows();
      assertEqual(
        featureCells(rows),
        [
          [0.44, 44],
          [null, null],
        ],
        'after the writes',
      );
    },
  },
  {
    name: 'saves a retrieval as a dataset and reads the same rows back',
    async run(subject) {
      const store = withData(subject);
      const result = await store.getHistoricalFeatures({ entityDf: ENTITY_ROWS, features }, await contextFor()).result();
      const saved = await store.saveDataset('contract_set', result);
      assertEqual([saved.rowCount, saved.minEventTimestamp, saved.maxEventTimestamp], [6, micros('08:00'), micros('10:00')], 'saved');
      const back = await store.readDataset(saved.path);
      assertEqual(back.numRows, 6, 'rows read back');
      assertEqual(
        back.schema.fields.map((f) => f.name),
        ['driver_id', 'event_timestamp', 'conv', 'trips'],
        'columns read back',
      );
    },
  },
  {
    name: 'previews a view: row count, per-feature statistics and the first rows',
    async run(subject) {
      const preview = await withData(subject).previewFeatureView(stats, { bins: 4, firstRows: 2 });
      assertEqual(preview.rowCount, 6, 'row count');
      const conv = preview.features.find((f) => f.name === 'conv')!;
      assertEqual([conv.rows, conv.distinct, conv.min, conv.max], [6, 5, 0.1, 0.9], 'conv statistics');
      assertEqual(Math.round(conv.nullShare * 6), 1, 'conv null share');
      assertEqual(Math.round(conv.mean! * 1000) / 1000, 0.44, 'conv mean');
      assertEqual(preview.firstRows.numRows, 2, 'first rows');
    },
  },
];

export function runOfflineStoreContractCases(subject: OfflineStoreSubject): Promise<ContractOutcome[]> {
  return runCases(offlineStoreContractCases, subject);
}
