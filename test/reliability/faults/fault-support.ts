/**
 * What the fault suite shares: a repo made by the built CLI, `feast-edge serve` in its own
 * process, a small tmpfs to fill, and JSON requests. Real processes and a real file
 * system throughout: the faults (SIGKILL, ENOSPC) are the kernel's, not simulated.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildIfStale, CLI, cli } from '../../cli/built-cli.js';

const run = promisify(execFile);

/** Makes the example repo with `init` at `repo` (a path that does not exist yet) and applies it. */
export async function initRepo(repo: string): Promise<void> {
  buildIfStale();
  for (const args of [
    ['init', repo],
    ['--repo', repo, 'apply'],
  ]) {
    const result = await cli(args);
    if (result.code !== 0) throw new Error(`feast-edge ${args.join(' ')} failed: ${result.stderr}`);
  }
}

/** A tmpfs of `bytes` mounted on a new folder, or why none could be mounted (not root, no mount permission). */
export async function mountTmpfs(bytes: number): Promise<{ dir: string; unmount: () => Promise<void> } | { skip: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'feast-edge-tmpfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    return { skip: `cannot mount a tmpfs to fill (needs root or CAP_SYS_ADMIN): ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}` };
  }
  return {
    dir,
    unmount: async () => {
      await run('umount', ['-l', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Writes `file` until the file system says ENOSPC; the bytes are freed by removing it. */
export async function fillDisk(file: string): Promise<void> {
  const handle = await open(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
    // The last partial page: tmpfs may still hold a few bytes less than a chunk.
    for (let size = 32 * 1024; size >= 1; size = Math.floor(size / 2)) {
      try {
        for (;;) await handle.write(chunk.subarray(0, size));
      } catch {
        /* next smaller size */
      }
    }
  } finally {
    await handle.close();
  }
}

/** `feast-edge serve` in its own process. */
export interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** True while the process runs. */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Spawns the built CLI's `serve` on a free port; resolves once it prints its URL. */
export async function serve(repo: string, env: NodeJS.ProcessEnv = {}): Promise<Served> {
  const child = spawn(process.execPath, [CLI, '--repo', repo, 'serve', '--port', '0', '--registry-ttl', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  let exited = false;
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const found = output.match(/ at (http:\/\/\S+) /);
      if (found) resolve(found[1]);
    });
    void exit.then(() => reject(new Error(`serve exited before printing its URL: ${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    alive: () => !exited,
    stop: async () => {
      if (exited) return;
      child.kill('SIGKILL');
      await exit;
    },
  };
}

/** A JSON POST; resolves with the status, the X-Feast-Edge-Error class and the parsed body (null for none). */
export async function post(url: string, body: unknown): Promise<{ status: number; type: string | null; json: unknown; contentType: string | null }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return {
    status: response.status,
    type: response.headers.get('x-feast-edge-error'),
    json: text ? JSON.parse(text) : null,
    contentType: response.headers.get('content-type'),
  };
}

/** Online values of `driver_hourly_stats` for `ids` over HTTP: what a client would read. */
export async function readDrivers(url: string, ids: readonly number[]): Promise<unknown> {
  const answer = await post(`${url}/get-online-features`, {
    features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate', 'driver_hourly_stats:avg_daily_trips'],
    entities: { driver_id: ids },
  });
  if (answer.status !== 200) throw new Error(`get-online-features answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  return answer.json;
}

export { seededRandom } from '../../support/seeded-random.js';

/**
 * Runs the built CLI with `args` and SIGKILLs it after `killAfterMs` unless it ended
 * first. Resolves with how it ended: 'killed', or its exit code.
 */
export function runAndKill(args: readonly string[], killAfterMs: number): Promise<'killed' | number> {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal === 'SIGKILL' ? 'killed' : (code ?? -1));
    });
  });
}

/** Runs the built CLI to its end; throws with its output when it fails. Resolves with the milliseconds it took. */
export async function runCli(args: readonly string[]): Promise<number> {
  const started = performance.now();
  const result = await cli(args);
  if (result.code !== 0) throw new Error(`feast-edge ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return performance.now() - started;
}

/** Every key and value of an LMDB file, as hex, in key order: the online store's whole state, byte for byte. */
export async function lmdbEntries(path: string): Promise<[string, string][]> {
  const { open: openLmdb } = await import('lmdb');
  const db = openLmdb<Uint8Array, Uint8Array>({ path, readOnly: true, encoding: 'binary', keyEncoding: 'binary' });
  try {
    return [...db.getRange({})].map(({ key, value }) => [Buffer.from(key as Uint8Array).toString('hex'), Buffer.from(value).toString('hex')]);
  } finally {
    await db.close();
  }
}

/** A registry document without what differs between two equal runs: the times of writing and the version count. */
export function comparableRegistry(text: string): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !['createdAt', 'lastUpdatedAt', 'createdTimestamp', 'lastUpdatedTimestamp', 'version'].includes(key))
        .map(([key, item]) => [key, strip(item)]),
    );
  };
  return strip(JSON.parse(text));
}
