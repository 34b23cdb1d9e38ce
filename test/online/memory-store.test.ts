import { expect, it } from 'vitest';
import { Int64 } from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import { runOnlineStoreContract } from './store-contract.js';

runOnlineStoreContract('memory', async () => new MemoryOnlineStore());

it('keeps two keys apart even when their hashes collide', async () => {
  // Find two Int64 keys whose 32-bit FNV-1a hashes (the store's lookup hash) are equal, by
  // brute force over pseudo-random ids: the birthday bound makes one likely within ~100k.
  const fnv = (bytes: Uint8Array) => {
    let h = 0x811c9dc5;
    for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
    return h >>> 0;
  };
  const key = (id: bigint) => encodeEntityKey([{ joinKey: 'id', type: Int64, value: id }]);
  const seen = new Map<number, bigint>();
  let state = 0x9e3779b97f4a7c15n;
  let pair: [bigint, bigint] | undefined;
  while (!pair) {
    state = BigInt.asIntN(64, state * 6364136223846793005n + 1442695040888963407n);
    const hash = fnv(key(state));
    const other = seen.get(hash);
    if (other !== undefined && other !== state) pair = [other, state];
    seen.set(hash, state);
  }
  const store = new MemoryOnlineStore();
  await store.write('p', { view: 'v', keys: [key(pair[0]), key(pair[1])], eventTimestamps: [1n, 2n], features: { x: ['first', 'second'] } });
  const result = await store.read('p', 'v', [key(pair[1]), key(pair[0]), key(pair[1] + 1n)], ['x']);
  expect(result.values.x).toEqual(['second', 'first', null]);
  expect(result.eventTimestamps).toEqual([2n, 1n, null]);
});
