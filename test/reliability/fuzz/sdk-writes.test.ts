/**
 * Issue 14's fuzz of the SDK's write paths: FeatureStore.writeToOnlineStore,
 * writeToOfflineStore, push (online, offline, both) and ingest, called with generated
 * input (valid rows with members replaced, removed or added: JS numeric edges, bigints,
 * invalid Dates, lone surrogates, NUL, 1 MB strings, Object.prototype names, nests up to
 * 1,000 deep, Maps, functions, symbols; and rows that are not rows). Each call resolves,
 * or rejects with an error class of src/errors.ts answering a 4xx, and then nothing stored
 * changed. Seeded: the same calls every run. The memory online store, in the repo
 * `feast-edge init` makes plus the typed view.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeastEdgeError, InvalidOnlineWriteError, ValueError } from '../../../src/errors.js';
import type { OnlineEntityRows } from '../../../src/online/entity-rows.js';
import { openTypedRepo, TYPED_FEATURES, typedEvent, typedRow, type TypedRepo } from '../typed-repo.js';
import { MEGABYTE, NUMBER_TEXT, PROTO_NAMES, SEED, STRING_EDGES, TIMESTAMP_EDGES, RawJson } from './generators.js';

/** An array nested `depth` deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

const jsEdge: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 2 ** 53 + 1, 1e308, -1e308, 5e-324, 2 ** 31, -(2 ** 31) - 1, 2 ** 63, 3.5e38, 1e15, 9e12, 0.5),
  fc.constantFrom(2n ** 63n, -(2n ** 63n) - 1n, 2n ** 31n, -1n, 0n),
  fc.constantFrom(...STRING_EDGES, ...NUMBER_TEXT, MEGABYTE),
  fc.constantFrom(...TIMESTAMP_EDGES.filter((t) => !(t instanceof RawJson))),
  fc.constantFrom(new Date(Number.NaN), new Date(8.64e15), new Date(-8.64e15), new Date('9999-12-31T23:59:59.999Z'), new Date(0)),
  fc.constantFrom<unknown>(
    undefined,
    null,
    true,
    false,
    [],
    {},
    [null],
    [[1, 2]],
    new Uint8Array([1, 2]),
    new Map([['a', 1]]),
    new Set([1]),
    () => 1,
    Symbol('s'),
  ),
  fc.constant(Object.create(null)),
  fc.constantFrom(10, 100, 1000).map(nested),
  fc.jsonValue({ maxDepth: 3 }),
);

const USERS = ['u1', 'sdk1', 'sdk2', '\ufffd', '__proto__', 'constructor', 'toString'];
const COLUMNS = ['user_id', 'event_timestamp', ...TYPED_FEATURES, ...PROTO_NAMES, 'extra'];

type Change = { row: number; column: string; value: unknown; remove: boolean };
const change: fc.Arbitrary<Change> = fc.record({ row: fc.nat(), column: fc.constantFrom(...COLUMNS), value: jsEdge, remove: fc.boolean() });

/** Rows made from valid ones with one to three changes, as objects or as columns; or input that is no rows at all. */
function rowsFrom(make: (id: string) => Record<string, unknown>): fc.Arbitrary<unknown> {
  const changed = fc
    .tuple(fc.array(fc.constantFrom(...USERS), { minLength: 1, maxLength: 3 }), fc.array(change, { minLength: 1, maxLength: 3 }), fc.boolean())
    .map(([ids, changes, asColumns]) => {
      const rows = ids.map((id) => make(id));
      for (const c of changes) {
        const row = rows[c.row % rows.length];
        if (c.remove && c.column in row) delete row[c.column];
        // defineProperty: '__proto__' becomes a member, as JSON.parse would make it.
        else Object.defineProperty(row, c.column, { value: c.value, enumerable: true, writable: true, configurable: true });
      }
      if (!asColumns) return rows;
      const columns: Record<string, unknown[]> = {};
      for (const name of new Set(rows.flatMap((r) => Object.keys(r)))) {
        Object.defineProperty(columns, name, { value: rows.map((r) => r[name]), enumerable: true, writable: true, configurable: true });
      }
      return columns;
    });
  return fc.oneof({ weight: 9, arbitrary: changed }, { weight: 1, arbitrary: jsEdge });
}

const names = (valid: string) =>
  fc.oneof({ weight: 6, arbitrary: fc.constant(valid) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(...PROTO_NAMES, '', 'typed_stream', 42, null) });

interface Call {
  readonly what: string;
  readonly args: readonly unknown[];
  run(repo: TypedRepo): Promise<unknown>;
}

const calls: fc.Arbitrary<Call> = fc.oneof(
  fc.tuple(names('typed'), rowsFrom(typedRow)).map(([view, rows]) => ({
    what: 'writeToOnlineStore',
    args: [view, rows],
    run: (repo: TypedRepo) => repo.store.writeToOnlineStore(view as string, rows as OnlineEntityRows),
  })),
  fc.tuple(names('typed'), rowsFrom(typedRow)).map(([view, rows]) => ({
    what: 'writeToOfflineStore',
    args: [view, rows],
    run: (repo: TypedRepo) => repo.store.writeToOfflineStore(view as string, rows as OnlineEntityRows),
  })),
  fc
    .tuple(names('typed_push'), rowsFrom(typedRow), fc.oneof(fc.constantFrom('online', 'offline', 'online_and_offline', undefined), jsEdge))
    .map(([source, rows, to]) => ({
      what: 'push',
      args: [source, rows, { to }],
      run: (repo: TypedRepo) => repo.store.push(source as string, rows as OnlineEntityRows, { to } as { to: 'online' }),
    })),
  fc.tuple(names('typed_stream'), rowsFrom(typedEvent), fc.oneof(fc.constantFrom(1, 2, undefined), jsEdge)).map(([view, events, batchSize]) => ({
    what: 'ingest',
    args: [view, events, { batchSize }],
    run: (repo: TypedRepo) => repo.store.ingest(view as string, events as Record<string, unknown>[], { batchSize } as { batchSize: number }),
  })),
);

/** A call as a failure message shows it: bigints, symbols and megabytes made printable. */
function shown(call: Call): string {
  const text = JSON.stringify(call.args, (_, v: unknown) =>
    typeof v === 'bigint' ? `${v}n` : typeof v === 'symbol' || typeof v === 'function' ? String(v) : v === undefined ? 'undefined' : v,
  );
  return `${call.what}(${text.length > 300 ? `${text.slice(0, 300)}...` : text})`;
}

const RUNS = 600;
let repo: TypedRepo;

/** What is stored: the users' typed and stream rows online (with event times), and the offline parts. */
async function stored(): Promise<unknown> {
  const { store } = repo;
  const users = [...USERS, ...STRING_EDGES.filter((s) => !/[\ud800-\udfff]/.test(s) || s === '\udbff\udfff')];
  const typed = await store.getOnlineFeatures({ features: TYPED_FEATURES.map((f) => `typed:${f}`), entityRows: { user_id: users } });
  const stream = await store.getOnlineFeatures({ features: ['typed_stream:sum_f_int32_1h'], entityRows: { user_id: users } });
  const parts = await readdir(join(repo.repo, 'data', 'typed.parquet.pushed')).catch(() => []);
  return { typed: typed.toWire(), stream: stream.toWire(), parts: parts.sort() };
}

beforeAll(async () => {
  repo = await openTypedRepo('memory');
});
afterAll(async () => {
  await repo?.remove();
});

describe('fuzzing the SDK write paths (memory online store, the init repo plus the typed view)', () => {
  it(`${RUNS} generated calls: each resolves, or throws a 4xx error of src/errors.ts and changes nothing stored`, async () => {
    const cases = fc.sample(calls, { seed: SEED, numRuns: RUNS });
    const outcomes: Record<string, { ok: number; refused: number }> = {};
    let before = await stored();
    for (const call of cases) {
      const what = shown(call);
      const error = await call.run(repo).then(
        () => undefined,
        (e: unknown) => e ?? new Error('rejected with nothing'),
      );
      const tally = (outcomes[call.what] ??= { ok: 0, refused: 0 });
      const after = await stored();
      if (error === undefined) {
        tally.ok++;
      } else {
        tally.refused++;
        expect(error, `${what}: ${String(error)}`).toBeInstanceOf(FeastEdgeError);
        const status = (error as FeastEdgeError).httpStatus;
        expect(status >= 400 && status < 500, `${what}: ${String(error)} answers ${status}`).toBe(true);
        expect(after, what).toEqual(before);
      }
      before = after;
    }
    // Every method was called, and most calls refused: the generators aim at the checks.
    for (const method of ['writeToOnlineStore', 'writeToOfflineStore', 'push', 'ingest']) {
      expect(outcomes[method]?.refused, method).toBeGreaterThan(10);
    }
  });

  it('pins what it found: a row member named __proto__ pollutes no prototype; a bigint `to`, a bad batchSize and events that are not iterable are 4xx errors', async () => {
    // JSON.parse makes '__proto__' an own member, as a body or a worker message does.
    const row = JSON.parse(`{"__proto__":["polluted"],${JSON.stringify(typedRow('pinned1')).slice(1)}`) as Record<string, unknown>;
    await expect(repo.store.writeToOnlineStore('typed', [row])).rejects.toBeInstanceOf(InvalidOnlineWriteError);
    expect(({} as Record<number, unknown>)[0]).toBe(undefined);
    // A push takes the columns each view knows: the extra member is left out, and still no prototype changes.
    await repo.store.push('typed_push', [row]);
    expect(({} as Record<number, unknown>)[0]).toBe(undefined);
    expect((await repo.store.getOnlineFeatures({ features: ['typed:f_int32'], entityRows: { user_id: ['pinned1'] } })).toDict().f_int32).toEqual([1]);
    await expect(repo.store.push('typed_push', [typedRow('sdk2')], { to: 1n as unknown as 'online' })).rejects.toThrow(/to must be .* got 1/);
    await expect(repo.store.ingest('typed_stream', [typedEvent('sdk2')], { batchSize: 2n as unknown as number })).rejects.toBeInstanceOf(ValueError);
    await expect(repo.store.ingest('typed_stream', { user_id: ['sdk2'] } as unknown as [])).rejects.toBeInstanceOf(ValueError);
  });
});
