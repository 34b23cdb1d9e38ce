import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Finds a system binary a suite needs. Run by hand without it, the suite is skipped with
 * one line naming the binary and its Debian package; under CI=true a missing binary is a
 * failure, because `.ci/run` installs it.
 */
export function systemBinary(name: string, debianPackage: string, candidates: readonly string[] = []): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const path of [...candidates, ...dirs.map((dir) => join(dir, name))]) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here; try the next place
    }
  }
  const message = `${name} not found: install it with 'apt-get install -y ${debianPackage}'`;
  if (process.env.CI === 'true') throw new Error(`${message} (CI=true: a missing binary fails the run)`);
  console.warn(`skipping: ${message}`);
  return undefined;
}
