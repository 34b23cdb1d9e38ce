import { describe, it } from 'vitest';
import type { RegistryStore } from '../../src/registry/registry-store.js';
import type { ContractOutcome } from '../support/contract-cases.js';
import { reportForeignOutcomes } from '../support/report-foreign-contract.js';
import { registryStoreContractCases } from './store-contract-cases.js';

/**
 * The behaviour every registry store shares (memory, file, IndexedDB and later KV), one
 * test per case of store-contract-cases.ts. `create` returns a fresh, empty store each time.
 */
export function runRegistryStoreContract(label: string, create: () => Promise<RegistryStore> | RegistryStore): void {
  describe(`registry store contract: ${label}`, () => {
    for (const contractCase of registryStoreContractCases) it(contractCase.name, () => contractCase.run(async () => create()));
  });
}

/** Reports the contract run elsewhere (Chromium) as one test per case. */
export function reportForeignRegistryContract(label: string, outcomes: () => Promise<ContractOutcome[]>): void {
  reportForeignOutcomes(
    `registry store contract: ${label}`,
    registryStoreContractCases.map((c) => c.name),
    outcomes,
  );
}
