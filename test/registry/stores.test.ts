import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyRegistryDocument, type RegistryDocument } from '../../src/registry/document.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { FileRegistryStore } from '../../src/runtime/node/file-registry-store.js';
import { runRegistryStoreContract } from './store-contract.js';

const dirs: string[] = [];
const tempDir = async () => {
  const d = await mkdtemp(join(tmpdir(), 'feast-edge-registry-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const doc = (project: string, version: number, description = ''): RegistryDocument => ({
  ...emptyRegistryDocument({ kind: 'project', name: project, description }, 'now'),
  version,
});

runRegistryStoreContract('memory', () => new MemoryRegistryStore());
runRegistryStoreContract('file (a directory of project files)', async () => new FileRegistryStore(await tempDir()));

describe('file registry store', () => {
  it('never shows a reader part of a document while another process writes', async () => {
    const dir = await tempDir();
    const store = new FileRegistryStore(dir);
    const big = (v: number) => doc('torn', v, 'x'.repeat(300_000 + v));
    await store.write(big(1), 0);
    const last = 60;
    const child = spawn(process.execPath, ['--import', 'jiti/register', join(import.meta.dirname, 'fixtures', 'write-versions.ts'), dir, String(last)], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let running = true;
    void exited.then(() => {
      running = false;
    });
    const seen = new Set<number>();
    let reads = 0;
    while (running) {
      const text = await readFile(join(dir, 'torn.json'), 'utf8');
      const parsed = JSON.parse(text) as RegistryDocument;
      // A whole document: its description length matches its own version.
      expect(parsed.project.description?.length).toBe(300_000 + parsed.version);
      seen.add(parsed.version);
      reads++;
    }
    expect({ code: await exited, stderr }).toEqual({ code: 0, stderr: '' });
    expect(reads).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(1);
    expect((await store.read('torn'))?.version).toBe(last);
    // Nothing left behind: no temporary file, no lock.
    expect(await readdir(dir)).toEqual(['torn.json']);
  });

  it('uses one file when the path ends in .json, reads another project as absent and refuses to write it', async () => {
    const dir = await tempDir();
    const store = new FileRegistryStore(join(dir, 'nested', 'registry.json'));
    await store.write(doc('only', 1), 0);
    expect(await store.listProjects()).toEqual(['only']);
    expect(await store.read('other')).toBeUndefined();
    await expect(store.write(doc('other', 1), 0)).rejects.toMatchObject({
      name: 'RegistryStoreError',
      message: expect.stringContaining("holds project 'only'"),
    });
    expect(await readdir(join(dir, 'nested'))).toEqual(['registry.json']);
  });

  it('takes over a lock left by a crashed writer once it is older than 30 s', async () => {
    const dir = await tempDir();
    const store = new FileRegistryStore(dir);
    const lock = join(dir, 'p.json.lock');
    await writeFile(lock, 'crashed-writer');
    const old = new Date(Date.now() - 31_000);
    await utimes(lock, old, old);
    await store.write(doc('p', 1), 0);
    expect((await store.read('p'))?.version).toBe(1);
    expect(await readdir(dir)).toEqual(['p.json']);
  });

  it('waits for a fresh lock to be released instead of breaking it', async () => {
    const dir = await tempDir();
    const store = new FileRegistryStore(dir);
    const lock = join(dir, 'p.json.lock');
    await writeFile(lock, 'live-writer');
    let done = false;
    const writing = store.write(doc('p', 1), 0).then(() => {
      done = true;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(done).toBe(false);
    expect(await readFile(lock, 'utf8')).toBe('live-writer');
    await rm(lock);
    await writing;
    expect((await store.read('p'))?.version).toBe(1);
  });

  it('releases its lock after a refused write', async () => {
    const dir = await tempDir();
    const store = new FileRegistryStore(dir);
    await store.write(doc('p', 1), 0);
    await expect(store.write(doc('p', 1), 0)).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
    expect(await readdir(dir)).toEqual(['p.json']);
  });

  it('names the file when it is not a registry document', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'p.json'), '{"half": ');
    await expect(new FileRegistryStore(dir).read('p')).rejects.toMatchObject({
      name: 'RegistryStoreError',
      message: expect.stringContaining(join(dir, 'p.json')),
    });
  });

  it('refuses project names that could leave the directory', async () => {
    const store = new FileRegistryStore(await tempDir());
    await expect(store.read('../escape')).rejects.toMatchObject({ name: 'InvalidDefinitionError' });
  });
});
