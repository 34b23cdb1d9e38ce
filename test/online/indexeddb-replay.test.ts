import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batchBounds, replayBatch, type RowTimes } from '../../src/runtime/browser/indexeddb/online/replay.js';

/** A stored-row lookup over fixed rows, recording which batch rows asked. */
function storedRows(rows: Record<string, RowTimes>) {
  const asked: [string, number][] = [];
  const lookup = (id: string, row: number) => {
    asked.push([id, row]);
    return rows[id];
  };
  return { lookup, asked };
}

describe('replayBatch (the IndexedDB store: which row a key keeps)', () => {
  it('writes every row of new keys, winners in first-written order', () => {
    const { winners, written } = replayBatch(['b', 'a', 'c'], [5n, 5n, 5n], undefined, storedRows({}).lookup);
    expect([...winners]).toEqual([
      ['b', 0],
      ['a', 1],
      ['c', 2],
    ]);
    expect(written).toBe(3);
  });

  it('never lets an older event overwrite a newer stored row, whatever the created times', () => {
    const { lookup } = storedRows({ a: { event: 10n, created: 1n } });
    const { winners, written } = replayBatch(['a'], [9n], [100n], lookup);
    expect([...winners]).toEqual([]);
    expect(written).toBe(0);
  });

  it('lets a newer event overwrite a stored row with a later created time', () => {
    const { lookup } = storedRows({ a: { event: 10n, created: 100n } });
    expect([...replayBatch(['a'], [11n], [5n], lookup).winners]).toEqual([['a', 0]]);
  });

  it('gives equal events to the newer created time, and an equal pair to the row written last', () => {
    const { lookup } = storedRows({ newer: { event: 10n, created: 5n }, older: { event: 10n, created: 5n }, same: { event: 10n, created: 5n } });
    const { winners, written } = replayBatch(['newer', 'older', 'same'], [10n, 10n, 10n], [6n, 4n, 5n], lookup);
    expect([...winners]).toEqual([
      ['newer', 0],
      ['same', 2],
    ]);
    expect(written).toBe(2);
  });

  it('takes a null created time as the oldest', () => {
    const { lookup } = storedRows({
      storedNull: { event: 10n, created: null },
      storedSet: { event: 10n, created: 1n },
      bothNull: { event: 10n, created: null },
    });
    const { winners } = replayBatch(['storedNull', 'storedSet', 'bothNull'], [10n, 10n, 10n], [1n, null, null], lookup);
    // A set created time beats a null one; a null one loses to a set one; two nulls tie and the write wins.
    expect([...winners]).toEqual([
      ['storedNull', 0],
      ['bothNull', 2],
    ]);
  });

  it('replays several writes to one key in batch order, as one put per row would', () => {
    // Row 0 (event 1) is put, row 1 (event 3) replaces it, row 2 (event 2) is older than row 1.
    const { winners, written } = replayBatch(['a', 'a', 'a'], [1n, 3n, 2n], undefined, storedRows({}).lookup);
    expect([...winners]).toEqual([['a', 1]]);
    expect(written).toBe(2);
  });

  it('lets the later of equal rows of one key in a batch win, unless its created time is older', () => {
    expect(replayBatch(['a', 'a'], [2n, 2n], undefined)).toEqual({ winners: new Map([['a', 1]]), written: 2 });
    expect(replayBatch(['a', 'a'], [2n, 2n], [7n, 3n])).toEqual({ winners: new Map([['a', 0]]), written: 1 });
    expect(replayBatch(['a', 'a'], [2n, 2n], [null, 3n])).toEqual({ winners: new Map([['a', 1]]), written: 2 });
    expect(replayBatch(['a', 'a'], [2n, 2n], [3n, null])).toEqual({ winners: new Map([['a', 0]]), written: 1 });
  });

  it('compares with the stored row until a row of the batch has won, then with that row', () => {
    const { lookup, asked } = storedRows({ a: { event: 5n, created: null } });
    // Row 0 (4) loses to the stored 5; row 1 (6) wins; row 2 (5) loses to row 1, not to the stored row.
    const { winners, written } = replayBatch(['a', 'a', 'a'], [4n, 6n, 5n], undefined, lookup);
    expect([...winners]).toEqual([['a', 1]]);
    expect(written).toBe(1);
    expect(asked).toEqual([
      ['a', 0],
      ['a', 1],
    ]);
  });

  it("orders the winners by each key's first winning row and points at its last", () => {
    const { lookup } = storedRows({ a: { event: 3n, created: null } });
    // a's row 0 loses to the stored row, so b (row 1) comes first; a first wins at row 2.
    const { winners, written } = replayBatch(['a', 'b', 'a', 'b', 'a'], [1n, 1n, 4n, 2n, 9n], undefined, lookup);
    expect([...winners]).toEqual([
      ['b', 3],
      ['a', 4],
    ]);
    expect(written).toBe(4);
  });

  it('compares no stored row when given no lookup (a batch older than nothing stored)', () => {
    expect(replayBatch(['a', 'b'], [1n, 1n], [null, 2n])).toEqual({
      winners: new Map([
        ['a', 0],
        ['b', 1],
      ]),
      written: 2,
    });
  });

  it('keeps for every key the row a put-per-row model keeps, over random batches', () => {
    // The model compares (event, created) as a pair with a null created time below every
    // other; a tie goes to the later put.
    const older = (a: RowTimes, b: RowTimes) => (a.event !== b.event ? a.event < b.event : (a.created ?? -(2n ** 63n) - 1n) < (b.created ?? -(2n ** 63n) - 1n));
    const row = fc.record({ id: fc.constantFrom('a', 'b', 'c'), event: fc.bigInt(0n, 3n), created: fc.option(fc.bigInt(0n, 2n), { nil: null }) });
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 12 }),
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.record({ event: fc.bigInt(0n, 3n), created: fc.option(fc.bigInt(0n, 2n), { nil: null }) })),
        (rows, stored) => {
          const state = new Map<string, RowTimes & { row?: number }>(Object.entries(stored));
          let puts = 0;
          rows.forEach((r, i) => {
            const current = state.get(r.id);
            if (current && older(r, current)) return;
            state.set(r.id, { ...r, row: i });
            puts++;
          });
          const { winners, written } = replayBatch(
            rows.map((r) => r.id),
            rows.map((r) => r.event),
            rows.map((r) => r.created),
            (id) => stored[id],
          );
          const expected = [...state].filter(([, s]) => s.row !== undefined).map(([id, s]) => [id, s.row]);
          expect(new Map([...winners].sort())).toEqual(new Map(expected.sort() as [string, number][]));
          expect(written).toBe(puts);
        },
      ),
    );
  });
});

describe('batchBounds (the rows a batch may lose to a stored row with, and stores as newest)', () => {
  it('is row 0 for both in a batch of one row', () => {
    expect(batchBounds([7n], undefined)).toEqual({ oldest: 0, newest: 0 });
  });

  it('finds the oldest and newest event', () => {
    expect(batchBounds([3n, 1n, 2n], undefined)).toEqual({ oldest: 1, newest: 0 });
  });

  it('takes the first of equal rows as the oldest and the last as the newest', () => {
    expect(batchBounds([2n, 2n, 2n], [null, null, null])).toEqual({ oldest: 0, newest: 2 });
  });

  it('breaks equal events by created time, a null created time the oldest', () => {
    expect(batchBounds([5n, 5n], [null, 1n])).toEqual({ oldest: 0, newest: 1 });
    expect(batchBounds([5n, 5n], [3n, null])).toEqual({ oldest: 1, newest: 0 });
    expect(batchBounds([5n, 5n, 4n], [3n, 9n, 100n])).toEqual({ oldest: 2, newest: 1 });
  });
});
