import { afterAll, describe } from 'vitest';
import { callInPage, findChromium, startChromium, type ChromiumHarness } from '../support/chromium.js';
import { reportForeignOfflineContract } from './offline-store-contract.js';

const WORKER = '/workers/offline-contract.js';
let harness: ChromiumHarness | undefined;
afterAll(async () => {
  await harness?.close();
});

describe.skipIf(findChromium() === undefined)('the offline store in Chromium (async DuckDB-WASM in a worker, parquet-wasm)', () => {
  reportForeignOfflineContract('DuckDB-WASM async backend (Chromium)', async () => {
    harness = (await startChromium({
      entries: { page: 'test/offline/browser/offline-contract-page.entry.ts' },
      webWorkers: { [WORKER]: { entry: 'test/offline/browser/offline-contract.worker.ts' } },
    }))!;
    return callInPage(await harness.openPage('page'), 'runOfflineContract', WORKER);
  });
});
