import { execFile, execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const run = promisify(execFile);

/** Newest modification time under `path` (a file or a folder), 0 when it is missing. */
function newest(path: string): number {
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * Bundles the package when dist is older than its inputs, so the test runs what users run.
 * Only the Vite half of `npm run build`: the CLI needs no .d.ts, and a type error elsewhere
 * in the tree is the typecheck's to report, not a reason to skip these tests.
 */
export function buildIfStale(): void {
  const built = newest(CLI);
  const inputs = Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'package.json')), newest(join(ROOT, 'vite.config.ts')));
  if (built > inputs) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI in `cwd`; resolves with the exit code and output instead of throwing. */
export async function cli(args: readonly string[], cwd = ROOT): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/**
 * Builds the CLI if stale and makes the example repo with `init` in a new temporary
 * folder (applied too when `apply` is set). `remove` deletes the folder.
 */
export async function exampleRepo(prefix: string, options: { apply?: boolean } = {}): Promise<{ dir: string; repo: string; remove: () => Promise<void> }> {
  buildIfStale();
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const repo = join(dir, 'repo');
  for (const args of [['init', repo], ...(options.apply ? [['--repo', repo, 'apply']] : [])]) {
    const result = await cli(args);
    if (result.code !== 0) throw new Error(`feast-edge ${args.join(' ')} failed: ${result.stderr}`);
  }
  return { dir, repo, remove: () => rm(dir, { recursive: true, force: true }) };
}
