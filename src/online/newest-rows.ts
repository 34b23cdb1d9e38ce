import { entityKeyId } from './entity-key.js';
import { isNotOlder, type OnlineWriteBatch } from './online-store.js';

/**
 * The row to write per entity key of a batch: the newest by the event-time rule (the
 * later of equal rows), so a store writes each key once. Map order is each key's first
 * appearance. `idOf` names a key (default: its bytes as a string); a store may pass the
 * key it stores under, which it then reads back from the map.
 */
export function newestRows(batch: OnlineWriteBatch, idOf: (key: Uint8Array) => string = entityKeyId): Map<string, number> {
  const created = batch.createdTimestamps;
  const newest = new Map<string, number>();
  batch.keys.forEach((key, i) => {
    const id = idOf(key);
    const best = newest.get(id);
    if (best === undefined || isNotOlder(batch.eventTimestamps[i], created?.[i] ?? null, batch.eventTimestamps[best], created?.[best] ?? null)) {
      newest.set(id, i);
    }
  });
  return newest;
}
