/**
 * Browser side of test/feast/feast-sqlite-browser.chromium.test.ts: FeastSqliteOnlineStore over
 * sql.js's browser build, the WASM and Feast's file fetched from the test server.
 */
import initSqlJs from 'sql.js';
import { Int64 } from '../../../src/definitions/index.js';
import { encodeEntityKey } from '../../../src/online/entity-key.js';
import { FeastSqliteOnlineStore } from '../../../src/feast/sqlite-online-store.js';
import { runContractCases, type ContractOutcome } from '../../online/store-contract-cases.js';

const sqlJs = () => initSqlJs({ locateFile: () => '/sql-wasm.wasm' });

const api = {
  async runContract(): Promise<ContractOutcome[]> {
    const store = new FeastSqliteOnlineStore({ sqlJs: await sqlJs() });
    try {
      return await runContractCases(store);
    } finally {
      await store.close();
    }
  },
  /** Reads Feast's quickstart file and writes one row, saving through `persist`: what a page would keep in OPFS or IndexedDB. */
  async readAndWriteFeastFile(): Promise<{ trips: unknown; eventTimestamp: string | null; savedBytes: number }> {
    const data = new Uint8Array(await (await fetch('/online_store.db')).arrayBuffer());
    let savedBytes = 0;
    const store = new FeastSqliteOnlineStore({
      sqlJs: await sqlJs(),
      data,
      persist: (bytes) => {
        savedBytes = bytes.length;
      },
    });
    const key = encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: 1001 }]);
    const read = await store.read('quickstart', 'driver_hourly_stats', [key], ['avg_daily_trips']);
    await store.write('quickstart', { view: 'browser_view', keys: [key], eventTimestamps: [1_796_220_000_000_000n], features: { x: [1] } });
    await store.close();
    return { trips: read.values.avg_daily_trips[0], eventTimestamp: read.eventTimestamps[0]?.toString() ?? null, savedBytes };
  },
};

Object.assign(globalThis, api);
