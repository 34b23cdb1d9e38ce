/**
 * Run by the real `deno` binary on our TypeScript sources (sloppy imports map the `.js`
 * specifiers to `.ts`): opens a Deno KV file and prints one JSON line.
 *   contract <file>  -> the online store contract outcomes
 *   write <file>     -> writes two drivers (persistence test)
 *   read <file>      -> reads them back, timestamps as decimal strings
 *   oversize <file>  -> writes driver 1 beside a row over Deno KV's 64 KiB: { error, event }
 *   init <file>      -> opens (creating) the file and closes it: {}
 *   race <file> <seed> <startMs> -> from startMs on, many writes to the keys another
 *                       process writes too; prints the newest event it wrote per key
 */
import { Int64 } from '../../../src/definitions/index.js';
import { DenoKvOnlineStore, type DenoKvLike } from '../../../src/runtime/deno/deno-kv-online-store.js';
import { encodeEntityKey } from '../../../src/online/entity-key.js';
import { runContractCases } from '../store-contract-cases.js';

// What this file needs of Deno's global, so tsc in Node type-checks it without Deno's types.
declare const Deno: { args: string[]; openKv(path: string): Promise<DenoKvLike> };

/**
 * Deno.openKv refuses with "database is locked" while another process holds the file's
 * SQLite lock during its own open (setting up the schema and the journal); the race test
 * opens one file from two processes at once, so opening waits and tries again.
 */
async function openKv(path: string): Promise<DenoKvLike> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await Deno.openKv(path);
    } catch (e) {
      if (attempt >= 50 || !String(e).includes('database is locked')) throw e;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

const [mode, path, seed, startMs] = Deno.args;
const key = (id: number) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
const EVENT = 1_618_221_600_000_000n;
const store = new DenoKvOnlineStore(await openKv(path));
const json = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? String(v) : v));

try {
  if (mode === 'init') {
    console.log(json({}));
  } else if (mode === 'contract') {
    console.log(json(await runContractCases(store)));
  } else if (mode === 'write') {
    console.log(
      json(await store.write('deno', { view: 'stats', keys: [key(7), key(8)], eventTimestamps: [EVENT, EVENT + 1n], features: { x: [0.25, 'eight'] } })),
    );
  } else if (mode === 'read') {
    console.log(json(await store.read('deno', 'stats', [key(8), key(9), key(7)], ['x'])));
  } else if (mode === 'oversize') {
    let error: string | null = null;
    try {
      await store.write('deno', { view: 'big', keys: [key(1), key(2)], eventTimestamps: [EVENT, EVENT], features: { x: ['small', 'y'.repeat(70_000)] } });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    console.log(json({ error, event: (await store.read('deno', 'big', [key(1)], ['x'])).eventTimestamps[0] }));
  } else if (mode === 'race') {
    console.log(json(await race(Number(seed), Number(startMs))));
  } else {
    throw new Error(`unknown mode '${mode}': use init, contract, write, read, oversize or race`);
  }
} finally {
  await store.close();
}

/** Rounds of writes over shared keys, in event orders that differ per seed; returns the max event written per key. */
async function race(seed: number, start: number): Promise<string[]> {
  const keys = Array.from({ length: 40 }, (_, k) => key(100 + k));
  const newest = keys.map(() => -1n);
  // Both processes wait for the same instant, so their writes overlap.
  while (Date.now() < start) await new Promise((r) => setTimeout(r, 1));
  for (let round = 0; round < 150; round++) {
    const events = keys.map((_, k) => EVENT + BigInt((round * 37 + k * 11 + seed * 101) % 997));
    await store.write('deno', { view: 'race', keys, eventTimestamps: events, features: { event: events.map(String) } });
    events.forEach((e, k) => {
      if (e > newest[k]) newest[k] = e;
    });
  }
  return newest.map(String);
}
