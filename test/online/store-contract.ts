import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnlineStore } from '../../src/online/online-store.js';
import { onlineStoreContractCases, type ContractOutcome } from './store-contract-cases.js';

/** Runs the shared contract on a store living in this Node process, one test per case. */
export function runOnlineStoreContract(label: string, create: () => Promise<OnlineStore>): void {
  describe(`online store contract: ${label}`, () => {
    let store: OnlineStore;
    beforeAll(async () => { store = await create(); });
    afterAll(async () => { await store.close(); });
    for (const contractCase of onlineStoreContractCases) it(contractCase.name, () => contractCase.run(store));
  });
}

/**
 * Reports the contract run elsewhere (Chromium, workerd, Deno) as one test per case:
 * `outcomes` resolves to what `runContractCases` returned inside that runtime.
 */
export function reportForeignContract(label: string, outcomes: () => Promise<ContractOutcome[]>): void {
  describe(`online store contract: ${label}`, () => {
    let results: Promise<ContractOutcome[]>;
    beforeAll(() => { results = outcomes(); results.catch(() => {}); });
    for (const contractCase of onlineStoreContractCases) {
      it(contractCase.name, async () => {
        const outcome = (await results).find((o) => o.name === contractCase.name);
        expect(outcome, 'the runtime did not report this case').toBeDefined();
        expect(outcome!.error).toBeUndefined();
      });
    }
  });
}
