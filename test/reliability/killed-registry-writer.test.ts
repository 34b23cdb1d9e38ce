/**
 * Issue 14, finding 10: a killed apply left its lock (and a temporary file), and every
 * later registry writer waited 30 s for the lock to age. A real child process takes the
 * lock and is killed with SIGKILL; the lock is then kept fresh (its mtime touched every
 * 200 ms, as a live holder's would look), so only knowing the holder is gone lets a
 * writer in: waiting for the lock to age would end in "stays held" instead.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyRegistryDocument, type RegistryDocument } from '../../src/registry/document.js';
import { FileRegistryStore } from '../../src/runtime/node/file-registry-store.js';

const LOCK_MODULE = new URL('../../src/runtime/node/file-lock.ts', import.meta.url).href;
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const doc = (version: number): RegistryDocument => ({ ...emptyRegistryDocument({ kind: 'project', name: 'p' } as never, '2021-01-01T00:00:00Z'), version });

/** A child that takes the lock of `file`, writes a temporary file as a writer would, says so, and hangs until killed. */
function holdLockAndHang(file: string): Promise<{ kill(): Promise<void> }> {
  const script = `
    import { withFileLock } from ${JSON.stringify(LOCK_MODULE)};
    import { writeFile } from 'node:fs/promises';
    import { hostname } from 'node:os';
    await withFileLock(${JSON.stringify(file)}, async () => {
      await writeFile(${JSON.stringify(file)} + '.' + hostname() + ':' + process.pid + ':half-written.tmp', '{"partial"');
      process.stdout.write('locked\\n');
      await new Promise(() => {});
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('locked')) return;
      resolve({
        kill: () =>
          new Promise((done) => {
            child.on('exit', () => done());
            child.kill('SIGKILL');
          }),
      });
    });
  });
}

describe('a registry writer killed while holding the lock (issue 14, finding 10)', () => {
  it('does not stall the next writer, and its temporary file is cleaned up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feast-edge-killed-writer-'));
    dirs.push(dir);
    const file = join(dir, 'registry.json');
    await writeFile(file, JSON.stringify(doc(1)));
    const holder = await holdLockAndHang(file);
    await holder.kill();
    const lock = `${file}.lock`;
    const keepFresh = setInterval(() => void utimes(lock, new Date(), new Date()).catch(() => undefined), 200);
    try {
      await new FileRegistryStore(file).write(doc(2), 1);
    } finally {
      clearInterval(keepFresh);
    }
    expect(JSON.parse(await readFile(file, 'utf8')).version).toBe(2);
    expect((await readdir(dir)).sort()).toEqual(['registry.json']);
  });
});
