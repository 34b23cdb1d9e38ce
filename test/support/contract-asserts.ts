/**
 * The assertions of the contract cases (no test-runner import, like the cases): each throws
 * an Error naming what was checked, which runCases reports as the case's failure.
 */

/** JSON with bigints written as `<digits>n`, so 1n and 1 do not compare equal. */
export function show(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

export function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (show(actual) !== show(expected)) throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

export async function assertRejects(promise: Promise<unknown>, pattern: RegExp, what: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!pattern.test(message)) throw new Error(`${what}: expected an error matching ${pattern}, got '${message}'`);
    return;
  }
  throw new Error(`${what}: expected an error matching ${pattern}, but the call succeeded`);
}
