/**
 * The registry store contract as plain async cases with no test-runner import, so the
 * same cases run under vitest in Node (memory, file) and bundled inside Chromium (IndexedDB).
 */
import { emptyRegistryDocument, type RegistryDocument } from '../../src/registry/document.js';
import type { RegistryStore } from '../../src/registry/registry-store.js';
import { runCases, type ContractCase, type ContractOutcome } from '../support/contract-cases.js';

/** A case gets a factory returning a fresh, empty store each time it is called (cases list the projects held). */
type StoreFactory = () => Promise<RegistryStore>;

const doc = (project: string, version: number, marker = ''): RegistryDocument => ({
  ...emptyRegistryDocument({ kind: 'project', name: project, ...(marker ? { description: marker } : {}) }, '2026-01-01T00:00:00.000Z'),
  version,
});

const show = (value: unknown): string => (value === undefined ? 'undefined' : JSON.stringify(value));
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Deep equality as vitest's toEqual: properties holding undefined count as absent. */
function equal(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  if (!isObject(actual) || !isObject(expected) || Array.isArray(actual) !== Array.isArray(expected)) return false;
  if (Array.isArray(actual) && actual.length !== (expected as unknown as unknown[]).length) return false;
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  return [...keys].every((k) => equal(actual[k], expected[k]));
}

/** A partial match as vitest's toMatchObject: every property of `expected`, recursively; arrays whole. */
function matches(actual: unknown, expected: unknown): boolean {
  if (!isObject(expected)) return Object.is(actual, expected);
  if (!isObject(actual)) return false;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((e, i) => matches(actual[i], e));
  }
  return Object.keys(expected).every((k) => k in actual && matches(actual[k], expected[k]));
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  if (!equal(actual, expected)) throw new Error(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

function assertMatches(actual: unknown, expected: unknown, what: string): void {
  if (!matches(actual, expected)) throw new Error(`${what}: expected to match ${show(expected)}, got ${show(actual)}`);
}

function assertConflict(reason: unknown, what: string): void {
  const name = isObject(reason) ? reason.name : undefined;
  if (name !== 'RegistryVersionConflictError') {
    throw new Error(`${what}: expected a RegistryVersionConflictError, got ${reason instanceof Error ? `${reason.name}: ${reason.message}` : show(reason)}`);
  }
}

async function assertConflicts(promise: Promise<unknown>, what: string): Promise<void> {
  try {
    await promise;
  } catch (error) {
    assertConflict(error, what);
    return;
  }
  throw new Error(`${what}: expected a RegistryVersionConflictError, but the call succeeded`);
}

export const registryStoreContractCases: readonly ContractCase<StoreFactory>[] = [
  {
    name: 'reads a project that was never written as undefined, and lists no projects',
    async run(create) {
      const store = await create();
      assertEqual(await store.read('never_applied'), undefined, 'read of a never-applied project');
      assertEqual(await store.listProjects(), [], 'projects of an empty store');
    },
  },
  {
    name: 'writes version 1 over an absent document (expected version 0) and reads back every field',
    async run(create) {
      const store = await create();
      const written: RegistryDocument = {
        ...doc('p1', 1, 'first'),
        entities: {
          driver: {
            spec: { kind: 'entity', name: 'driver', joinKeys: ['driver_id'], valueType: { kind: 'Int64' } },
            createdAt: '2026-01-01T00:00:00.000Z',
            lastUpdatedAt: '2026-01-02T00:00:00.000Z',
          },
        },
      };
      await store.write(written, 0);
      assertEqual(await store.read('p1'), written, 'document read back');
    },
  },
  {
    name: 'refuses a write whose expected version is stale, keeping the newer document',
    async run(create) {
      const store = await create();
      await store.write(doc('p2', 1), 0);
      await store.write(doc('p2', 2, 'second'), 1);
      await assertConflicts(store.write(doc('p2', 2, 'lost update'), 1), 'write at a stale version');
      await assertConflicts(store.write(doc('p2', 1, 'recreate'), 0), 'write over an existing document at version 0');
      await assertConflicts(store.write(doc('p2', 4, 'ahead'), 3), 'write at a version ahead of the stored one');
      assertMatches(await store.read('p2'), { version: 2, project: { description: 'second' } }, 'document after refused writes');
    },
  },
  {
    name: 'lets exactly one of several writers at the same expected version through',
    async run(create) {
      const store = await create();
      await store.write(doc('race', 1), 0);
      const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => store.write(doc('race', 2, `writer ${i}`), 1)));
      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
      assertEqual(won.length, 1, 'number of writers that got through');
      for (const r of results) if (r.status === 'rejected') assertConflict(r.reason, 'a losing writer');
      assertEqual((await store.read('race'))?.project.description, `writer ${won[0]}`, 'the stored document');
    },
  },
  {
    name: 'deletes only at the expected version',
    async run(create) {
      const store = await create();
      await store.write(doc('p3', 1), 0);
      await store.write(doc('p3', 2), 1);
      await assertConflicts(store.delete('p3', 1), 'delete at a stale version');
      assertEqual((await store.read('p3'))?.version, 2, 'version after a refused delete');
      await store.delete('p3', 2);
      assertEqual(await store.read('p3'), undefined, 'read after delete');
      assertEqual(await store.listProjects(), [], 'projects after delete');
      await store.write(doc('p3', 1, 'again'), 0);
      assertEqual((await store.read('p3'))?.project.description, 'again', 'document written again after delete');
    },
  },
  {
    name: 'keeps the documents of two projects apart through writes and deletes',
    async run(create) {
      const store = await create();
      await store.write(doc('alpha', 1, 'a1'), 0);
      await store.write(doc('beta', 1, 'b1'), 0);
      await store.write(doc('alpha', 2, 'a2'), 1);
      assertMatches(await store.read('beta'), { version: 1, project: { name: 'beta', description: 'b1' } }, 'beta after writing alpha');
      await assertConflicts(store.write(doc('beta', 3, 'b3'), 2), "write of beta at alpha's version");
      assertEqual(await store.listProjects(), ['alpha', 'beta'], 'projects');
      await store.delete('alpha', 2);
      assertEqual(await store.read('alpha'), undefined, 'alpha after delete');
      assertMatches(await store.read('beta'), { version: 1, project: { description: 'b1' } }, 'beta after deleting alpha');
      assertEqual(await store.listProjects(), ['beta'], 'projects after deleting alpha');
    },
  },
  {
    name: 'keeps its own copy: mutating a written or a read document changes nothing stored',
    async run(create) {
      const store = await create();
      const written = doc('p4', 1, 'kept');
      await store.write(written, 0);
      (written.project as { description?: string }).description = 'changed after writing';
      const read = (await store.read('p4')) as { project: { description?: string } };
      read.project.description = 'mutated';
      assertEqual((await store.read('p4'))?.project.description, 'kept', 'stored description');
    },
  },
];

/** Runs every case in order, each on fresh stores from `create`, and reports each; for runtimes without vitest. */
export function runRegistryContractCases(create: StoreFactory): Promise<ContractOutcome[]> {
  return runCases(registryStoreContractCases, create);
}
