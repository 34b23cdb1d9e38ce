import type { FeatureView } from '../definitions/index.js';
import { viewKeyEncoder } from './entity-key.js';

/**
 * The distinct entities of `count` entity rows, each encoded once (row i's key is
 * `keys[slot[i]]`), so a read fetches each entity once and fans it out to its rows. Rows
 * are told apart by their join key values (a single key's value is its own Map key).
 */
export function distinctEntityKeys(
  view: Pick<FeatureView, 'entityColumns'>,
  keyColumns: readonly (readonly unknown[])[],
  count: number,
): { keys: Uint8Array[]; slot: number[] } {
  const encode = viewKeyEncoder(view);
  const ids = new Map<unknown, number>();
  const keys: Uint8Array[] = [];
  const slot = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const values = keyColumns.map((column) => column[i]);
    const id = values.length === 1 ? values[0] : JSON.stringify(values, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
    let index = ids.get(id);
    if (index === undefined) {
      index = keys.length;
      ids.set(id, index);
      keys.push(encode(values));
    }
    slot[i] = index;
  }
  return { keys, slot };
}
