/**
 * The online store contract as plain async cases with no test-runner import, so the
 * same cases run under vitest in Node and bundled inside Chromium, workerd and Deno.
 */
import { Int64, String as Str } from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import type { OnlineStore } from '../../src/online/online-store.js';
import { assertEqual, assertRejects, show } from '../support/contract-asserts.js';
import { runCases, type ContractCase, type ContractOutcome } from '../support/contract-cases.js';

export type { ContractOutcome };

const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
const T = (hours: number) => 1_618_221_600_000_000n + BigInt(hours) * 3_600_000_000n;

export const onlineStoreContractCases: readonly ContractCase<OnlineStore>[] = [
  {
    name: 'reads back what was written, in the order asked, with nulls and timestamps',
    async run(store) {
      await store.write('p', { view: 'v1', keys: [key(1), key(2)], eventTimestamps: [T(0), T(1)], features: { conv: [0.5, null], trips: [7, 8] } });
      const result = await store.read('p', 'v1', [key(2), key(3), key(1)], ['conv', 'trips']);
      assertEqual(result.eventTimestamps, [T(1), null, T(0)], 'event timestamps');
      assertEqual(result.values, { conv: [null, null, 0.5], trips: [8, null, 7] }, 'values');
    },
  },
  {
    name: 'never lets an older event overwrite a newer one; equal events go to the newer created time',
    async run(store) {
      await store.write('p', { view: 'v2', keys: [key(1)], eventTimestamps: [T(5)], createdTimestamps: [T(5)], features: { x: ['newer'] } });
      const older = await store.write('p', {
        view: 'v2',
        keys: [key(1)],
        eventTimestamps: [T(4)],
        createdTimestamps: [T(9)],
        features: { x: ['older event'] },
      });
      assertEqual(older, { written: 0, skipped: 1 }, 'older write result');
      await store.write('p', { view: 'v2', keys: [key(1)], eventTimestamps: [T(5)], createdTimestamps: [T(4)], features: { x: ['older created'] } });
      assertEqual((await store.read('p', 'v2', [key(1)], ['x'])).values.x, ['newer'], 'after older created');
      await store.write('p', { view: 'v2', keys: [key(1)], eventTimestamps: [T(5)], createdTimestamps: [T(6)], features: { x: ['correction'] } });
      assertEqual((await store.read('p', 'v2', [key(1)], ['x'])).values.x, ['correction'], 'after newer created');
    },
  },
  {
    name: 'keeps the newest of duplicate keys within one batch, whatever their order',
    async run(store) {
      await store.write('p', { view: 'v3', keys: [key(1), key(1), key(1)], eventTimestamps: [T(2), T(3), T(1)], features: { x: ['b', 'c', 'a'] } });
      assertEqual((await store.read('p', 'v3', [key(1)], ['x'])).values.x, ['c'], 'duplicate keys');
    },
  },
  {
    name: 'keeps views, projects and key types apart',
    async run(store) {
      await store.write('p', { view: 'v4', keys: [key(1)], eventTimestamps: [T(0)], features: { x: ['p/v4'] } });
      await store.write('q', { view: 'v4', keys: [key(1)], eventTimestamps: [T(0)], features: { x: ['q/v4'] } });
      await store.write('p', { view: 'v5', keys: [key(1)], eventTimestamps: [T(0)], features: { x: ['p/v5'] } });
      const asString = encodeEntityKey([{ joinKey: 'driver_id', type: Str, value: '1' }]);
      assertEqual((await store.read('p', 'v4', [key(1), asString], ['x'])).values.x, ['p/v4', null], 'p/v4');
      assertEqual((await store.read('q', 'v4', [key(1)], ['x'])).values.x, ['q/v4'], 'q/v4');
      assertEqual((await store.read('p', 'v5', [key(1)], ['x'])).values.x, ['p/v5'], 'p/v5');
    },
  },
  {
    name: 'refuses a malformed batch whole, naming the column, and leaves stored rows as they were',
    async run(store) {
      await store.write('p', { view: 'v6', keys: [key(1)], eventTimestamps: [T(0)], features: { x: ['kept'] } });
      await assertRejects(
        store.write('p', { view: 'v6', keys: [key(1), key(2)], eventTimestamps: [T(1), T(1)], features: { x: ['lost'] } }),
        /feature 'x' has 1 values for 2 keys/,
        'short column',
      );
      await assertRejects(
        store.write('p', { view: 'v6', keys: [key(1)], eventTimestamps: [5 as unknown as bigint], features: { x: ['lost'] } }),
        /eventTimestamps\[0\]: expected bigint microseconds/,
        'number timestamp',
      );
      const result = await store.read('p', 'v6', [key(1), key(2)], ['x']);
      assertEqual(result.values.x, ['kept', null], 'values after refused writes');
      assertEqual(result.eventTimestamps, [T(0), null], 'timestamps after refused writes');
    },
  },
  {
    name: 'deletes one view without touching others',
    async run(store) {
      await store.write('p', { view: 'v7', keys: [key(1)], eventTimestamps: [T(0)], features: { x: [1] } });
      await store.write('p', { view: 'v8', keys: [key(1)], eventTimestamps: [T(0)], features: { x: [2] } });
      await store.deleteView('p', 'v7');
      assertEqual((await store.read('p', 'v7', [key(1)], ['x'])).eventTimestamps, [null], 'deleted view');
      assertEqual((await store.read('p', 'v8', [key(1)], ['x'])).values.x, [2], 'other view');
    },
  },
  {
    name: 'keeps value types: strings, floats, booleans, bigints, arrays and bytes',
    async run(store) {
      const bytes = new Uint8Array([0, 1, 254, 255]);
      await store.write('p', {
        view: 'v9',
        keys: [key(1)],
        eventTimestamps: [T(0)],
        features: { s: ['é/ü'], f: [0.1], b: [false], big: [9_007_199_254_740_993n], list: [[1, 2, 3]], raw: [bytes] },
      });
      const { values } = await store.read('p', 'v9', [key(1)], ['s', 'f', 'b', 'big', 'list', 'raw']);
      assertEqual([values.s[0], values.f[0], values.b[0], values.big[0], values.list[0]], ['é/ü', 0.1, false, 9_007_199_254_740_993n, [1, 2, 3]], 'values');
      const raw = values.raw[0];
      if (!(raw instanceof Uint8Array)) throw new Error(`bytes: expected a Uint8Array, got ${show(raw)}`);
      assertEqual([...raw], [0, 1, 254, 255], 'bytes');
    },
  },
  {
    name: 'reads many keys and features in one call',
    async run(store) {
      const keys = Array.from({ length: 500 }, (_, i) => key(10_000 + i));
      const features = Object.fromEntries(Array.from({ length: 20 }, (_, f) => [`f${f}`, keys.map((_, i) => i * 100 + f)]));
      await store.write('p', { view: 'wide', keys, eventTimestamps: keys.map(() => T(0)), features });
      const result = await store.read('p', 'wide', [...keys].reverse(), ['f3', 'f19']);
      assertEqual(result.values.f3[0], 499 * 100 + 3, 'first of reversed');
      assertEqual(result.values.f19[499], 19, 'last of reversed');
    },
  },
];

/** Runs every case in order on one store and reports each; for runtimes without vitest. */
export function runContractCases(store: OnlineStore): Promise<ContractOutcome[]> {
  return runCases(onlineStoreContractCases, store);
}
