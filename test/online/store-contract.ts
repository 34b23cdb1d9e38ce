import { afterAll, beforeAll, describe, it } from 'vitest';
import type { OnlineStore } from '../../src/online/online-store.js';
import { reportForeignOutcomes } from '../support/report-foreign-contract.js';
import { onlineStoreContractCases, type ContractOutcome } from './store-contract-cases.js';

/** Runs the shared contract on a store living in this Node process, one test per case. */
export function runOnlineStoreContract(label: string, create: () => Promise<OnlineStore>): void {
  describe(`online store contract: ${label}`, () => {
    let store: OnlineStore;
    beforeAll(async () => {
      store = await create();
    });
    afterAll(async () => {
      await store.close();
    });
    for (const contractCase of onlineStoreContractCases) it(contractCase.name, () => contractCase.run(store));
  });
}

/** Reports the contract run elsewhere (Chromium, workerd, Deno) as one test per case. */
export function reportForeignContract(label: string, outcomes: () => Promise<ContractOutcome[]>): void {
  reportForeignOutcomes(
    `online store contract: ${label}`,
    onlineStoreContractCases.map((c) => c.name),
    outcomes,
  );
}
