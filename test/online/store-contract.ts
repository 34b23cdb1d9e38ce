import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Int64, String as Str } from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import type { OnlineStore } from '../../src/online/online-store.js';

const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
const T = (hours: number) => 1_618_221_600_000_000n + BigInt(hours) * 3_600_000_000n;

/** The behaviour every online store shares; each store's test file runs it. */
export function runOnlineStoreContract(label: string, create: () => Promise<OnlineStore>): void {
  describe(`online store contract: ${label}`, () => {
    let store: OnlineStore;
    beforeAll(async () => { store = await create(); });
    afterAll(async () => { await store.close(); });

    it('reads back what was written, in the order asked, with nulls and timestamps', async () => {
      await store.write('p', { view: 'v1', keys: [key(1), key(2)], eventTimestamps: [T(0), T(1)], features: { conv: [0.5, null], trips: [7, 8] } });
      const result = await store.read('p', 'v1', [key(2), key(3), key(1)], ['conv', 'trips']);
      expect(result.eventTimestamps).toEqual([T(1), null, T(0)]);
      expect(result.values).toEqual({ conv: [null, null, 0.5], trips: [8, null, 7] });
    });

    it('never lets an older event overwrite a newer one; equal events go to the newer created time', async () => {
      await store.write('p', { view: 'v2', keys: [key(1)], eventTimestamps: [T(5)], createdTimestamps: [T(5)], features: { x: ['newer'] } });
      const older = await store.write('p', { view: 'v2', keys: [key(1)], eventTimestamps: [T(4)], createdTimestamps: [T(9)], features: { x: ['older event'] } });
      expect(older).toEqual({ written: 0, skipped: 1 });
      await store.write('p', { view: 'v2', keys: [key(1)], eventTimestamps: [T(5)], createdTimestamps: [T(4)], features: { x: ['older created'] } });
      expect((await store.read('p', 'v2', [key(1)], ['x'])).values.x).toEqual(['newer']);
      await store.write('p', { view: 'v2', keys: [key(1)], eventTimestamps: [T(5)], createdTimestamps: [T(6)], features: { x: ['correction'] } });
      expect((await store.read('p', 'v2', [key(1)], ['x'])).values.x).toEqual(['correction']);
    });

    it('keeps the newest of duplicate keys within one batch, whatever their order', async () => {
      await store.write('p', { view: 'v3', keys: [key(1), key(1), key(1)], eventTimestamps: [T(2), T(3), T(1)], features: { x: ['b', 'c', 'a'] } });
      expect((await store.read('p', 'v3', [key(1)], ['x'])).values.x).toEqual(['c']);
    });

    it('keeps views, projects and key types apart', async () => {
      await store.write('p', { view: 'v4', keys: [key(1)], eventTimestamps: [T(0)], features: { x: ['p/v4'] } });
      await store.write('q', { view: 'v4', keys: [key(1)], eventTimestamps: [T(0)], features: { x: ['q/v4'] } });
      await store.write('p', { view: 'v5', keys: [key(1)], eventTimestamps: [T(0)], features: { x: ['p/v5'] } });
      const asString = encodeEntityKey([{ joinKey: 'driver_id', type: Str, value: '1' }]);
      expect((await store.read('p', 'v4', [key(1), asString], ['x'])).values.x).toEqual(['p/v4', null]);
      expect((await store.read('q', 'v4', [key(1)], ['x'])).values.x).toEqual(['q/v4']);
      expect((await store.read('p', 'v5', [key(1)], ['x'])).values.x).toEqual(['p/v5']);
    });

    it('refuses a malformed batch whole, naming the column, and leaves stored rows as they were', async () => {
      await store.write('p', { view: 'v6', keys: [key(1)], eventTimestamps: [T(0)], features: { x: ['kept'] } });
      await expect(store.write('p', { view: 'v6', keys: [key(1), key(2)], eventTimestamps: [T(1), T(1)], features: { x: ['lost'] } }))
        .rejects.toThrow(/feature 'x' has 1 values for 2 keys/);
      await expect(store.write('p', { view: 'v6', keys: [key(1)], eventTimestamps: [5 as unknown as bigint], features: { x: ['lost'] } }))
        .rejects.toThrow(/eventTimestamps\[0\]: expected bigint microseconds/);
      const result = await store.read('p', 'v6', [key(1), key(2)], ['x']);
      expect(result.values.x).toEqual(['kept', null]);
      expect(result.eventTimestamps).toEqual([T(0), null]);
    });

    it('deletes one view without touching others', async () => {
      await store.write('p', { view: 'v7', keys: [key(1)], eventTimestamps: [T(0)], features: { x: [1] } });
      await store.write('p', { view: 'v8', keys: [key(1)], eventTimestamps: [T(0)], features: { x: [2] } });
      await store.deleteView('p', 'v7');
      expect((await store.read('p', 'v7', [key(1)], ['x'])).eventTimestamps).toEqual([null]);
      expect((await store.read('p', 'v8', [key(1)], ['x'])).values.x).toEqual([2]);
    });

    it('reads many keys and features in one call', async () => {
      const keys = Array.from({ length: 500 }, (_, i) => key(10_000 + i));
      const features = Object.fromEntries(Array.from({ length: 20 }, (_, f) => [`f${f}`, keys.map((_, i) => i * 100 + f)]));
      await store.write('p', { view: 'wide', keys, eventTimestamps: keys.map(() => T(0)), features });
      const result = await store.read('p', 'wide', [...keys].reverse(), ['f3', 'f19']);
      expect(result.values.f3[0]).toBe(499 * 100 + 3);
      expect(result.values.f19[499]).toBe(19);
    });
  });
}
