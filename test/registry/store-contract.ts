import { describe, expect, it } from 'vitest';
import { emptyRegistryDocument, type RegistryDocument } from '../../src/registry/document.js';
import type { RegistryStore } from '../../src/registry/registry-store.js';

const doc = (project: string, version: number, marker = ''): RegistryDocument => ({
  ...emptyRegistryDocument({ kind: 'project', name: project, ...(marker ? { description: marker } : {}) }, '2026-01-01T00:00:00.000Z'),
  version,
});

/** The behaviour every registry store shares (memory, file, and later IndexedDB and KV). */
export function runRegistryStoreContract(label: string, create: () => Promise<RegistryStore> | RegistryStore): void {
  describe(`registry store contract: ${label}`, () => {
    it('reads an absent project as undefined', async () => {
      expect(await (await create()).read('never_applied')).toBeUndefined();
    });

    it('writes version 1 over absent (expected 0) and reads it back', async () => {
      const store = await create();
      await store.write(doc('p1', 1, 'first'), 0);
      expect(await store.read('p1')).toMatchObject({ version: 1, project: { name: 'p1', description: 'first' } });
    });

    it('refuses a write whose expected version is stale, keeping the newer document', async () => {
      const store = await create();
      await store.write(doc('p2', 1), 0);
      await store.write(doc('p2', 2, 'second'), 1);
      await expect(store.write(doc('p2', 2, 'lost update'), 1)).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
      await expect(store.write(doc('p2', 1, 'recreate'), 0)).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
      expect((await store.read('p2'))?.project.description).toBe('second');
    });

    it('deletes only at the expected version', async () => {
      const store = await create();
      await store.write(doc('p3', 1), 0);
      await expect(store.delete('p3', 5)).rejects.toMatchObject({ name: 'RegistryVersionConflictError' });
      await store.delete('p3', 1);
      expect(await store.read('p3')).toBeUndefined();
    });

    it('keeps projects apart and lists them', async () => {
      const store = await create();
      await store.write(doc('alpha', 1, 'a'), 0);
      await store.write(doc('beta', 1, 'b'), 0);
      expect((await store.read('alpha'))?.project.description).toBe('a');
      expect((await store.read('beta'))?.project.description).toBe('b');
      expect(await store.listProjects()).toEqual(expect.arrayContaining(['alpha', 'beta']));
    });

    it('hands out copies: mutating a read document changes nothing stored', async () => {
      const store = await create();
      await store.write(doc('p4', 1, 'kept'), 0);
      const read = (await store.read('p4')) as { project: { description?: string } };
      read.project.description = 'mutated';
      expect((await store.read('p4'))?.project.description).toBe('kept');
    });
  });
}
