import { beforeAll, describe, expect, it } from 'vitest';
import type { ContractOutcome } from './contract-cases.js';

/**
 * Reports a contract run elsewhere (Chromium, workerd, Deno) as one vitest test per case:
 * `outcomes` resolves to what `runCases` returned inside that runtime.
 */
export function reportForeignOutcomes(title: string, caseNames: readonly string[], outcomes: () => Promise<ContractOutcome[]>): void {
  describe(title, () => {
    let results: Promise<ContractOutcome[]>;
    beforeAll(() => {
      results = outcomes();
      results.catch(() => {});
    });
    for (const name of caseNames) {
      it(name, async () => {
        const outcome = (await results).find((o) => o.name === name);
        expect(outcome, 'the runtime did not report this case').toBeDefined();
        expect(outcome!.error).toBeUndefined();
      });
    }
  });
}
