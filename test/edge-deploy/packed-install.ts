import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, '..', '..');

function newest(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export interface PackedInstall {
  /** A folder outside the clone whose node_modules holds the packed feast-edge. */
  readonly dir: string;
  /** The installed CLI: node_modules/feast-edge/dist/cli/main.js. */
  readonly cli: string;
  remove(): void;
}

/**
 * The package as a user gets it: `npm pack` of the clone (the files package.json lists),
 * unpacked into node_modules/feast-edge of a temporary folder outside the clone. Its
 * dependencies are the clone's installed ones, linked beside it as npm would hoist them
 * (no registry download in a test); nothing else of the clone is reachable from there.
 */
export function packedInstall(prefix: string, options: { without?: readonly string[] } = {}): PackedInstall {
  const dist = join(ROOT, 'dist', 'cli', 'main.js');
  const inputs = Math.max(...['src', 'targets', 'package.json', 'vite.config.ts'].map((p) => newest(join(ROOT, p))));
  if (newest(dist) <= inputs || newest(join(ROOT, 'dist', 'deno-kv-writer.js')) === 0) {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const modules = join(dir, 'node_modules');
  const pkg = join(modules, 'feast-edge');
  mkdirSync(pkg, { recursive: true });
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' })) as {
    filename: string;
  }[];
  execFileSync('tar', ['-xzf', join(dir, packed[0].filename), '-C', pkg, '--strip-components=1']);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === 'feast-edge' || name.startsWith('.') || options.without?.includes(name)) continue;
    symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  return { dir, cli: join(pkg, 'dist', 'cli', 'main.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs the installed CLI in `cwd` (asynchronously: a test's own servers keep answering); throws with its stderr when it fails. */
export async function runCli(install: PackedInstall, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  try {
    const { stdout } = await run(process.execPath, [install.cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string };
    throw new Error(`feast-edge ${args.join(' ')} failed:\n${e.stderr}\n${e.stdout}`);
  }
}

/** A driver's latest row within [end - 1 day, end], read from the Parquet file with plain SQL (the oracle). */
export interface LatestRow {
  driver_id: number;
  conv_rate: number;
  avg_daily_trips: number;
}

/** The init repo's driver_hourly_stats as Feast's materialization defines it (ttl 1d, newest event then newest created), by DuckDB SQL alone. */
export async function latestDriverRows(parquet: string, end: Date): Promise<LatestRow[]> {
  const instance = await DuckDBInstance.create();
  const connection = await instance.connect();
  try {
    const endTs = end.toISOString().replace('T', ' ').replace('Z', '');
    const reader = await connection.runAndReadAll(
      `SELECT driver_id::DOUBLE AS driver_id, conv_rate::DOUBLE AS conv_rate, avg_daily_trips::DOUBLE AS avg_daily_trips
       FROM read_parquet('${parquet}')
       WHERE event_timestamp <= TIMESTAMPTZ '${endTs}+00' AND event_timestamp > TIMESTAMPTZ '${endTs}+00' - INTERVAL 1 DAY
       QUALIFY row_number() OVER (PARTITION BY driver_id ORDER BY event_timestamp DESC, created DESC) = 1
       ORDER BY driver_id`,
    );
    return reader.getRowObjectsJS() as unknown as LatestRow[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
