/**
 * Contract suites as plain async cases (no test-runner import), so the same cases run
 * under vitest in Node and bundled inside Chromium, workerd and Deno.
 */
export interface ContractCase<Subject> {
  readonly name: string;
  run(subject: Subject): Promise<void>;
}

/** What one case did in a runtime without vitest: its name, and its error if it failed. */
export interface ContractOutcome {
  readonly name: string;
  readonly error?: string;
}

/** Runs every case in order on `subject` and reports each. */
export async function runCases<Subject>(cases: readonly ContractCase<Subject>[], subject: Subject): Promise<ContractOutcome[]> {
  const outcomes: ContractOutcome[] = [];
  for (const contractCase of cases) {
    try {
      await contractCase.run(subject);
      outcomes.push({ name: contractCase.name });
    } catch (error) {
      outcomes.push({ name: contractCase.name, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return outcomes;
}
