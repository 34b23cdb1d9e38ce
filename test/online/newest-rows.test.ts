import { describe, expect, it } from 'vitest';
import { newestRows } from '../../src/online/newest-rows.js';
import type { OnlineWriteBatch } from '../../src/online/online-store.js';

const A = new Uint8Array([1]);
const B = new Uint8Array([2]);
const C = new Uint8Array([0, 255]);

// Hand-worked: per key, the row the event-time rule keeps (a later row wins a tie).
const batch: OnlineWriteBatch = {
  view: 'v',
  keys: [A, B, A, A, B, B, C],
  eventTimestamps: [10n, 5n, 10n, 9n, 5n, 5n, 1n],
  createdTimestamps: [null, null, null, null, 1n, null, null],
  features: { f: [0, 1, 2, 3, 4, 5, 6] },
};

describe('newestRows', () => {
  it('keeps per key the newest row: a later equal row wins, an older one or one without a created time after one with it loses', () => {
    // A: row 2 ties row 0 (same event, both no created time) and comes later; row 3 is older.
    // B: row 4 ties row 1 on the event and has a created time; row 5 lacks one, so it loses to row 4.
    expect([...newestRows(batch).values()]).toEqual([2, 4, 6]);
  });

  it('names each key by its bytes unless told otherwise, in order of first appearance', () => {
    expect([...newestRows(batch).keys()]).toEqual(['\u0001', '\u0002', '\u0000\u00ff']);
    expect([...newestRows(batch, (key) => `p:${key.join('.')}`)]).toEqual([
      ['p:1', 2],
      ['p:2', 4],
      ['p:0.255', 6],
    ]);
  });

  it('compares event times first and created times only on a tie, without createdTimestamps at all', () => {
    const plain: OnlineWriteBatch = { view: 'v', keys: [A, A, A], eventTimestamps: [3n, 7n, 7n], features: {} };
    expect([...newestRows(plain).values()]).toEqual([2]);
  });
});
