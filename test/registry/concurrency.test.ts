import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { entity } from '../../src/definitions/index.js';
import type { RegistryDocument } from '../../src/registry/document.js';
import { RegistryVersionConflictError } from '../../src/errors.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { Registry } from '../../src/registry/registry.js';
import type { RegistryStore } from '../../src/registry/registry-store.js';
import { FileRegistryStore } from '../../src/runtime/node/file-registry-store.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

describe('concurrent writers', () => {
  it('two processes applying 20 entities each to one file registry at once lose no update', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'feast-edge-concurrency-'));
    const barrier = await mkdtemp(join(tmpdir(), 'feast-edge-barrier-'));
    try {
      const script = join(import.meta.dirname, 'fixtures', 'apply-many.ts');
      const children = ['left', 'right'].map((prefix) =>
        run(process.execPath, ['--import', 'jiti/register', script, dir, prefix, '20', barrier], { cwd: root }),
      );
      // Both children load (jiti takes a while) before either starts, so their applies overlap.
      while ((await readdir(barrier)).length < 2) await new Promise((r) => setTimeout(r, 5));
      await writeFile(join(barrier, 'go'), '');
      const outputs = await Promise.all(children);
      const conflicts = outputs.reduce((sum, o) => sum + (JSON.parse(o.stdout) as { conflicts: number }).conflicts, 0);
      console.log(`two-process apply: ${conflicts} writes lost a race and were retried`);
      const registry = new Registry(new FileRegistryStore(dir), 'shared');
      const names = (await registry.listEntities()).map((e) => e.name).sort();
      const expected = ['left', 'right'].flatMap((p) => Array.from({ length: 20 }, (_, i) => `${p}_${i}`)).sort();
      expect(names).toEqual(expected);
      // One successful write per apply: 40 applies, version 40.
      expect(await registry.version()).toBe(40);
      expect(await readdir(dir)).toEqual(['shared.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(barrier, { recursive: true, force: true });
    }
  });

  it('six registries over one memory store applying at once keep all six entities', async () => {
    const store = new MemoryRegistryStore();
    const writers = Array.from({ length: 6 }, () => new Registry(store, 'proj'));
    await Promise.all(writers.map((w, i) => w.apply([entity({ name: `e${i}`, joinKeys: [`k${i}`] })])));
    expect((await writers[0].listEntities()).map((e) => e.name).sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
    expect(await writers[0].version()).toBe(6);
  });

  it('gives up after maxAttempts conflicts with the conflict error', async () => {
    const inner = new MemoryRegistryStore();
    let writes = 0;
    const alwaysBeaten: RegistryStore = {
      read: (p) => inner.read(p),
      write: async (doc: RegistryDocument, expected: number) => {
        writes++;
        throw new RegistryVersionConflictError(doc.project.name, expected, expected + 1);
      },
      delete: (p, v) => inner.delete(p, v),
      listProjects: () => inner.listProjects(),
    };
    const registry = new Registry(alwaysBeaten, 'proj', { maxAttempts: 3 });
    await expect(registry.apply([entity({ name: 'e' })])).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
    expect(writes).toBe(3);
  });

  it('refuses every write to a read-only store before reading it', async () => {
    const inner = new MemoryRegistryStore();
    const readOnly: RegistryStore = Object.assign(Object.create(inner) as RegistryStore, { readOnly: true });
    const registry = new Registry(readOnly, 'proj');
    await expect(registry.apply([entity({ name: 'e' })])).rejects.toMatchObject({ name: 'RegistryReadOnlyError' });
    await expect(registry.teardown()).rejects.toMatchObject({ name: 'RegistryReadOnlyError' });
  });
});
