/**
 * The Deno KV benchmark, run by the real `deno` binary on our TypeScript sources (see
 * bench/edge/deno.json: Deno KV and sloppy imports on). bench/edge-kv.ts starts it; all
 * timing happens in here, with Deno's microsecond performance.now(). Prints one JSON line.
 *   deno run ... deno-kv-bench.ts <kv file> <entities> <samples>
 */
import { DenoKvOnlineStore, type DenoKvKey, type DenoKvLike } from '../../src/runtime/deno/deno-kv-online-store.js';
import { encodeOnlineRow } from '../../src/online/row-codec.js';
import { FEATURE_NAMES, PROJECT, RAW_VIEW, VIEW, batchOf, entityKey, expectedValue, readIds, sampleLatencyPair, type Percentiles } from './edge-bench-core.js';

// What this file needs of Deno's global, so tsc in Node type-checks it without Deno's types.
declare const Deno: { args: string[]; version: { deno: string }; openKv(path: string): Promise<DenoKvLike> };

/** The store's key layout and limits: getMany takes 10 keys; writes go 10k rows per store.write. */
const ROOT = 'feast-edge';
const GET_MANY_KEYS = 10;
const WRITE_BATCH = 10_000;
/** Rows per atomic operation for the larger raw put: Deno KV caps an operation's keys at 80 KiB (about 1,000 of ours). */
const RAW_LARGE_CHUNK = 500;
/** Untimed calls before each read figure (the first figures otherwise still carry JIT and write-phase effects). */
const WARMUP = 100;

const [path, entitiesArg, samplesArg] = Deno.args;
const N = Number(entitiesArg);
const SAMPLES = Number(samplesArg);
const kv = await Deno.openKv(path);
const store = new DenoKvOnlineStore(kv);

/** Rows per second of one pass over all N rows in batches of `size` (batches built before the clock starts). */
async function rowsPerSecond(view: string, size: number, write: (batch: ReturnType<typeof batchOf>) => Promise<unknown>): Promise<number> {
  const batches: ReturnType<typeof batchOf>[] = [];
  for (let from = 0; from < N; from += size) batches.push(batchOf(view, from, Math.min(N, from + size)));
  const started = performance.now();
  for (const batch of batches) await write(batch);
  return N / ((performance.now() - started) / 1000);
}

/** Raw put: each row encoded as the store encodes it, set by atomic operations of `chunk` rows with no read and no check. */
function rawWrite(chunk: number) {
  return async (batch: ReturnType<typeof batchOf>): Promise<void> => {
    for (let start = 0; start < batch.keys.length; start += chunk) {
      let op = kv.atomic();
      for (let i = start; i < Math.min(batch.keys.length, start + chunk); i++) {
        const values: Record<string, unknown> = {};
        for (const name of FEATURE_NAMES) values[name] = batch.features[name][i];
        op = op.set([ROOT, PROJECT, RAW_VIEW, batch.keys[i]], encodeOnlineRow({ event: batch.eventTimestamps[i], created: null, values }));
      }
      if (!(await op.commit()).ok) throw new Error('raw commit failed');
    }
  };
}

/** Raw get: kv.getMany of the same keys in chunks of 10, all in flight together, values left as bytes. */
async function rawRead(keys: readonly DenoKvKey[]): Promise<number> {
  const slices: DenoKvKey[][] = [];
  for (let start = 0; start < keys.length; start += GET_MANY_KEYS) slices.push(keys.slice(start, start + GET_MANY_KEYS));
  const answers = await Promise.all(slices.map((slice) => kv.getMany(slice)));
  let found = 0;
  for (const answer of answers) for (const entry of answer) if (entry.value !== null) found++;
  return found;
}

try {
  const load = await rowsPerSecond(VIEW, WRITE_BATCH, (batch) => store.write(PROJECT, batch));
  // Three passes of each, taking turns, so the machine's noise falls on all alike; medians.
  const passes = { overwrite: [] as number[], raw: [] as number[], rawLarge: [] as number[] };
  for (let pass = 0; pass < 3; pass++) {
    passes.overwrite.push(await rowsPerSecond(VIEW, WRITE_BATCH, (batch) => store.write(PROJECT, batch)));
    passes.raw.push(await rowsPerSecond(RAW_VIEW, WRITE_BATCH, rawWrite(100)));
    passes.rawLarge.push(await rowsPerSecond(RAW_VIEW, WRITE_BATCH, rawWrite(RAW_LARGE_CHUNK)));
  }
  const median = (rates: number[]) => [...rates].sort((a, b) => a - b)[1];
  const write = { load, overwrite: median(passes.overwrite), raw: median(passes.raw), rawLarge: median(passes.rawLarge) };
  const reads: { entities: number; features: number; store: Percentiles; raw: Percentiles }[] = [];
  for (const entities of [1, 10, 100]) {
    for (const features of [10, 50]) {
      const ids = readIds(entities, N);
      const names = FEATURE_NAMES.slice(0, features);
      const keys = ids.map(entityKey);
      const kvKeys: DenoKvKey[] = keys.map((k) => [ROOT, PROJECT, VIEW, k]);
      // Both must find every row: a read of missing keys would measure nothing.
      const check = await store.read(PROJECT, VIEW, keys, names);
      ids.forEach((id, i) =>
        names.forEach((f, j) => {
          if (check.values[f][i] !== expectedValue(id, j)) throw new Error(`store.read: driver ${id} ${f} = ${check.values[f][i]}`);
        }),
      );
      if ((await rawRead(kvKeys)) !== entities) throw new Error('raw getMany: missing rows');
      reads.push({
        entities,
        features,
        ...(await sampleLatencyPair(
          () => store.read(PROJECT, VIEW, keys, names),
          () => rawRead(kvKeys),
          SAMPLES,
          { store: 1, raw: 1 },
          WARMUP,
        )),
      });
    }
  }
  console.log(JSON.stringify({ write, rawLargeChunk: RAW_LARGE_CHUNK, reads, version: Deno.version.deno }));
} finally {
  await store.close();
}
