import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyRegistryDocument } from '../../src/registry/document.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { FileRegistryStore } from '../../src/runtime/node/file-registry-store.js';
import { runRegistryStoreContract } from './store-contract.js';

const dirs: string[] = [];
const tempDir = async () => { const d = await mkdtemp(join(tmpdir(), 'feast-edge-registry-')); dirs.push(d); return d; };
afterAll(async () => { for (const d of dirs) await rm(d, { recursive: true, force: true }); });

runRegistryStoreContract('memory', () => new MemoryRegistryStore());
runRegistryStoreContract('file (a directory of project files)', async () => new FileRegistryStore(await tempDir()));

describe('file registry store', () => {
  it('never exposes a partly written document to a concurrent reader', async () => {
    const dir = await tempDir();
    const store = new FileRegistryStore(dir);
    const big = (v: number) => ({
      ...emptyRegistryDocument({ kind: 'project' as const, name: 'p', description: 'x'.repeat(200_000 + v) }, 'now'), version: v,
    });
    await store.write(big(1), 0);
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(join(dir, 'p.json'), 'utf8');
        const parsed = JSON.parse(text) as { version: number; project: { description: string } };
        expect(parsed.project.description.length).toBe(200_000 + parsed.version);
        reads++;
      }
    })();
    for (let v = 2; v <= 30; v++) await store.write(big(v), v - 1);
    writing = false;
    await reader;
    expect(reads).toBeGreaterThan(0);
    expect((await store.read('p'))?.version).toBe(30);
  });

  it('uses one file when the configured path ends in .json, and reads another project as absent', async () => {
    const dir = await tempDir();
    const store = new FileRegistryStore(join(dir, 'registry.json'));
    await store.write({ ...emptyRegistryDocument({ kind: 'project', name: 'only' }, 'now'), version: 1 }, 0);
    expect(await store.listProjects()).toEqual(['only']);
    expect(await store.read('other')).toBeUndefined();
  });
});
