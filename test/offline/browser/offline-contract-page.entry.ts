/** Browser side of test/offline/offline-store.chromium.test.ts: starts the contract worker and returns its outcomes. */
import type { ContractOutcome } from '../offline-store-contract-cases.js';

Object.assign(globalThis, {
  runOfflineContract(script: string): Promise<ContractOutcome[]> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(script, { type: 'module' });
      worker.onerror = (event) => reject(new Error(`the contract worker failed: ${event.message}`));
      worker.onmessage = (event: MessageEvent<{ outcomes?: ContractOutcome[]; error?: string }>) => {
        worker.terminate();
        if (event.data.error) reject(new Error(event.data.error));
        else resolve(event.data.outcomes!);
      };
    });
  },
});
