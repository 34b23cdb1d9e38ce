import { describe, expect, it } from 'vitest';
import { emptyRegistryDocument, type RegistryDocument } from '../../src/registry/document.js';
import type { RegistryStore } from '../../src/registry/registry-store.js';

const doc = (project: string, version: number, marker = ''): RegistryDocument => ({
  ...emptyRegistryDocument({ kind: 'project', name: project, ...(marker ? { description: marker } : {}) }, '2026-01-01T00:00:00.000Z'),
  version,
});

/**
 * The behaviour every registry store shares (memory, file, and later IndexedDB and KV).
 * `create` returns a fresh, empty store each time.
 */
export function runRegistryStoreContract(label: string, create: () => Promise<RegistryStore> | RegistryStore): void {
  describe(`registry store contract: ${label}`, () => {
    it('reads a project that was never written as undefined, and lists no projects', async () => {
      const store = await create();
      expect(await store.read('never_applied')).toBeUndefined();
      expect(await store.listProjects()).toEqual([]);
    });

    it('writes version 1 over an absent document (expected version 0) and reads back every field', async () => {
      const store = await create();
      const written: RegistryDocument = {
        ...doc('p1', 1, 'first'),
        entities: { driver: { spec: { kind: 'entity', name: 'driver', joinKeys: ['driver_id'], valueType: { kind: 'Int64' } }, createdAt: 'c', lastUpdatedAt: 'u' } },
      };
      await store.write(written, 0);
      expect(await store.read('p1')).toEqual(written);
    });

    it('refuses a write whose expected version is stale, keeping the newer document', async () => {
      const store = await create();
      await store.write(doc('p2', 1), 0);
      await store.write(doc('p2', 2, 'second'), 1);
      await expect(store.write(doc('p2', 2, 'lost update'), 1)).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
      await expect(store.write(doc('p2', 1, 'recreate'), 0)).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
      await expect(store.write(doc('p2', 4, 'ahead'), 3)).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
      expect(await store.read('p2')).toMatchObject({ version: 2, project: { description: 'second' } });
    });

    it('lets exactly one of several writers at the same expected version through', async () => {
      const store = await create();
      await store.write(doc('race', 1), 0);
      const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => store.write(doc('race', 2, `writer ${i}`), 1)));
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      expect(won).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ name: 'RegistryVersionConflictError' });
      expect((await store.read('race'))?.project.description).toBe(`writer ${won[0]}`);
    });

    it('deletes only at the expected version', async () => {
      const store = await create();
      await store.write(doc('p3', 1), 0);
      await store.write(doc('p3', 2), 1);
      await expect(store.delete('p3', 1)).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
      expect((await store.read('p3'))?.version).toBe(2);
      await store.delete('p3', 2);
      expect(await store.read('p3')).toBeUndefined();
      expect(await store.listProjects()).toEqual([]);
      await store.write(doc('p3', 1, 'again'), 0);
      expect((await store.read('p3'))?.project.description).toBe('again');
    });

    it('keeps the documents of two projects apart through writes and deletes', async () => {
      const store = await create();
      await store.write(doc('alpha', 1, 'a1'), 0);
      await store.write(doc('beta', 1, 'b1'), 0);
      await store.write(doc('alpha', 2, 'a2'), 1);
      expect(await store.read('beta')).toMatchObject({ version: 1, project: { name: 'beta', description: 'b1' } });
      await expect(store.write(doc('beta', 3, 'b3'), 2)).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
      expect(await store.listProjects()).toEqual(['alpha', 'beta']);
      await store.delete('alpha', 2);
      expect(await store.read('alpha')).toBeUndefined();
      expect(await store.read('beta')).toMatchObject({ version: 1, project: { description: 'b1' } });
      expect(await store.listProjects()).toEqual(['beta']);
    });

    it('keeps its own copy: mutating a written or a read document changes nothing stored', async () => {
      const store = await create();
      const written = doc('p4', 1, 'kept');
      await store.write(written, 0);
      (written.project as { description?: string }).description = 'changed after writing';
      const read = (await store.read('p4')) as { project: { description?: string } };
      read.project.description = 'mutated';
      expect((await store.read('p4'))?.project.description).toBe('kept');
    });
  });
}
