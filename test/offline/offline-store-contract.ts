import { afterAll, beforeAll, describe, it } from 'vitest';
import { createDuckDbOfflineStore } from '../../src/offline/duckdb/duckdb-offline-store.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { reportForeignOutcomes } from '../support/report-foreign-contract.js';
import { offlineStoreContractCases, type ContractOutcome, type OfflineStoreSubject } from './offline-store-contract-cases.js';

/** Runs the offline store contract on DuckDB in this Node process, one test per case. */
export function runOfflineStoreContract(label: string, open: () => Promise<SqlEngine>): void {
  describe(`offline store contract: ${label}`, () => {
    let engine: SqlEngine;
    let subject: OfflineStoreSubject;
    beforeAll(async () => {
      engine = await open();
      // Stores share the engine; the test closes it once.
      subject = { newStore: () => createDuckDbOfflineStore({ engine: async () => engine }) };
    });
    afterAll(async () => {
      await engine.close();
    });
    for (const contractCase of offlineStoreContractCases) it(contractCase.name, () => contractCase.run(subject));
  });
}

/** Reports the contract run inside Chromium as one test per case. */
export function reportForeignOfflineContract(label: string, outcomes: () => Promise<ContractOutcome[]>): void {
  reportForeignOutcomes(
    `offline store contract: ${label}`,
    offlineStoreContractCases.map((c) => c.name),
    outcomes,
  );
}
