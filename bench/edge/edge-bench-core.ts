/**
 * What the edge benchmarks share, runtime-neutral (no Node, Deno or Workers APIs), so the
 * workerd Worker and the Deno entry build the same rows, keys and samples.
 */
import { Int64 } from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import type { OnlineWriteBatch } from '../../src/online/online-store.js';

export const PROJECT = 'bench';
export const VIEW = 'stats';
/** Where the raw-put baselines write, so they never touch the rows the reads look up. */
export const RAW_VIEW = 'raw';
export const FEATURES = 50;
export const EVENT = 1_618_221_600_000_000n;
export const FEATURE_NAMES = Array.from({ length: FEATURES }, (_, f) => `f${f}`);

export const entityKey = (id: number): Uint8Array => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);

/** Rows [from, to) as one write batch: driver id, one event time, 50 Float64 features (id + f/100). */
export function batchOf(view: string, from: number, to: number): OnlineWriteBatch {
  const ids = Array.from({ length: to - from }, (_, i) => from + i);
  const features: Record<string, number[]> = {};
  for (let f = 0; f < FEATURES; f++) features[`f${f}`] = ids.map((id) => id + f / 100);
  return { view, keys: ids.map(entityKey), eventTimestamps: ids.map(() => EVENT), createdTimestamps: ids.map(() => null), features };
}

/** The entities a read asks for: spread over the written range, as bench/online.ts does. */
export const readIds = (entities: number, written: number): number[] => Array.from({ length: entities }, (_, i) => (i * 7919) % written);

/** The value each read must find for feature f of driver id, to check reads hit stored rows. */
export const expectedValue = (id: number, f: number): number => id + f / 100;

export interface Percentiles {
  p50: number;
  p99: number;
  samples: number;
  group: number;
}

export function percentiles(samples: number[], group: number): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: sorted[Math.floor(sorted.length * 0.5)],
    p99: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))],
    samples: sorted.length,
    group,
  };
}

/** Mean ms per call of `calls` back-to-back calls. */
async function timed(fn: () => Promise<unknown>, calls: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < calls; i++) await fn();
  return (performance.now() - start) / calls;
}

/**
 * Latency samples (ms per call) of a store call and its raw baseline, taken in turns
 * (store sample, raw sample, ...) so the machine's noise falls on both alike: `warmup`
 * untimed calls of each, then `samples` samples of each, a sample being the clock across
 * `group` back-to-back calls divided by `group`. With group 1 a sample is one call; a
 * larger group is for clocks that tick in whole milliseconds (workerd).
 */
export async function sampleLatencyPair(
  store: () => Promise<unknown>,
  raw: () => Promise<unknown>,
  samples: number,
  groups: { store: number; raw: number },
  warmup = 50,
): Promise<{ store: Percentiles; raw: Percentiles }> {
  for (let i = 0; i < warmup; i++) {
    await store();
    await raw();
  }
  const times = { store: [] as number[], raw: [] as number[] };
  for (let s = 0; s < samples; s++) {
    times.store.push(await timed(store, groups.store));
    times.raw.push(await timed(raw, groups.raw));
  }
  return { store: percentiles(times.store, groups.store), raw: percentiles(times.raw, groups.raw) };
}

/** Back-to-back calls per sample so a sample spans about `targetMs` (at least `min`, at most 100), from 40 timed calls. */
export async function groupFor(fn: () => Promise<unknown>, targetMs: number, min = 1): Promise<number> {
  const mean = Math.max(await timed(fn, 40), 0.01);
  return Math.min(100, Math.max(min, Math.ceil(targetMs / mean)));
}
