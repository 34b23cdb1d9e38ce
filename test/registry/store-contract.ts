import { beforeAll, describe, expect, it } from 'vitest';
import type { RegistryStore } from '../../src/registry/registry-store.js';
import { registryStoreContractCases, type RegistryContractOutcome } from './store-contract-cases.js';

/**
 * The behaviour every registry store shares (memory, file, IndexedDB and later KV), one
 * test per case of store-contract-cases.ts. `create` returns a fresh, empty store each time.
 */
export function runRegistryStoreContract(label: string, create: () => Promise<RegistryStore> | RegistryStore): void {
  describe(`registry store contract: ${label}`, () => {
    for (const contractCase of registryStoreContractCases) it(contractCase.name, () => contractCase.run(async () => create()));
  });
}

/**
 * Reports the contract run elsewhere (Chromium) as one test per case: `outcomes` resolves
 * to what `runRegistryContractCases` returned inside that runtime.
 */
export function reportForeignRegistryContract(label: string, outcomes: () => Promise<RegistryContractOutcome[]>): void {
  describe(`registry store contract: ${label}`, () => {
    let results: Promise<RegistryContractOutcome[]>;
    beforeAll(() => { results = outcomes(); results.catch(() => {}); });
    for (const contractCase of registryStoreContractCases) {
      it(contractCase.name, async () => {
        const outcome = (await results).find((o) => o.name === contractCase.name);
        expect(outcome, 'the runtime did not report this case').toBeDefined();
        expect(outcome!.error).toBeUndefined();
      });
    }
  });
}
