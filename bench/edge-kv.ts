import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { bundleEntry } from '../test/online/edge/bundle.js';
import type { Percentiles } from './edge/edge-bench-core.js';
import { benchEdgeKvBulk } from './edge-kv-bulk.js';
import { fmtMs, ratio } from './measure.js';

/** Entities written before the reads, 50 Float64 features each. Miniflare's KV puts about 1,000-1,500 rows/s (less on a busy machine), so Cloudflare gets half. */
const DENO_ENTITIES = 20_000;
const CF_ENTITIES = 10_000;
/**
 * Cloudflare: rows per store.write, one Worker request each. A write costs one bulk get
 * per 100 keys plus one put per row, so 900 rows stay under the ~1,000 KV operations a
 * production invocation may make (miniflare does not enforce that limit).
 */
const CF_BATCH = 900;
/** Cloudflare: rows of the overwrite and raw-put figures. Miniflare's KV puts ~1-2k rows/s, so these run on a subset. */
const CF_WRITE_ROWS = 5_000;
/** Cloudflare: a latency sample spans back-to-back calls over about this many ms (workerd's clock ticks in whole ms). */
const CF_SAMPLE_MS = 10;
const DENO_BATCH = 10_000;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const DENO = here('../node_modules/.bin/deno');
const log = (line: string) => process.stderr.write(`  ${line}\n`);
const rate = (n: number) => `${Math.round(n).toLocaleString('en-US')} rows/s`;

interface ReadFigure {
  entities: number;
  features: number;
  store: Percentiles;
  raw: Percentiles;
}
interface Figures {
  reads: ReadFigure[];
  /** Rows per second. */
  write: { load: number; overwrite: number; raw: number; rawLarge?: number };
  /** Deno only: rows per atomic operation of the larger raw put, and the deno version. */
  rawLargeChunk?: number;
  version?: string;
}

/** CloudflareKvOnlineStore inside workerd (miniflare), over an in-memory KV namespace binding. */
async function cloudflare(samples: number): Promise<Figures> {
  const script = await bundleEntry(here('./edge/cloudflare-kv-bench.worker.ts'));
  const mf = new Miniflare({ modules: true, script, kvNamespaces: ['KV'], compatibilityDate: '2026-04-01' });
  try {
    await mf.ready;
    const call = async <T>(path: string, method = 'GET'): Promise<T> => {
      const response = await mf.dispatchFetch(`http://worker${path}`, { method });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return JSON.parse(text) as T;
    };
    /** One request per batch over [0, rows): the in-Worker ms of each, summed per mode. Modes take turns batch by batch. */
    const writeRates = async (modes: readonly ('store' | 'raw')[], rows: number): Promise<number[]> => {
      const ms = modes.map(() => 0);
      for (let from = 0; from < rows; from += CF_BATCH) {
        const to = Math.min(rows, from + CF_BATCH);
        for (const [m, mode] of modes.entries()) {
          const { ms: batchMs, written } = await call<{ ms: number; written: number }>(`/write?mode=${mode}&from=${from}&to=${to}`, 'POST');
          if (written !== to - from) throw new Error(`${mode} write [${from}, ${to}): wrote ${written}`);
          ms[m] += batchMs;
        }
      }
      return ms.map((total) => rows / (total / 1000));
    };
    const [load] = await writeRates(['store'], CF_ENTITIES);
    log(`cloudflare kv: first load ${rate(load)}`);
    const [overwrite, raw] = await writeRates(['store', 'raw'], CF_WRITE_ROWS);
    log(`cloudflare kv: overwrite ${rate(overwrite)}, raw put ${rate(raw)}`);
    const reads: ReadFigure[] = [];
    for (const entities of [1, 10, 100]) {
      for (const features of [10, 50]) {
        const pair = await call<{ store: Percentiles; raw: Percentiles }>(
          `/read?entities=${entities}&features=${features}&written=${CF_ENTITIES}&samples=${samples}&target=${CF_SAMPLE_MS}`,
        );
        const figure = { entities, features, ...pair };
        reads.push(figure);
        log(`cloudflare kv ${entities}x${features}: ${fmtMs(figure.store.p50)} vs raw ${fmtMs(figure.raw.p50)}`);
      }
    }
    return { reads, write: { load, overwrite, raw } };
  } finally {
    await mf.dispose();
  }
}

/** DenoKvOnlineStore in the deno binary, over a Deno KV file (SQLite) in a temporary directory. */
async function deno(samples: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-bench-denokv-'));
  try {
    const args = [
      'run',
      '--config',
      here('./edge/deno.json'),
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      '--allow-env=MSGPACKR_NATIVE_ACCELERATION_DISABLED',
      here('./edge/deno-kv-bench.ts'),
      join(dir, 'online.kv'),
      String(DENO_ENTITIES),
      String(samples),
    ];
    const stdout = await new Promise<string>((resolve, reject) => {
      execFile(
        DENO,
        args,
        { env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' }, maxBuffer: 16 * 1024 * 1024, timeout: 170_000 },
        (error, out, stderr) => (error ? reject(new Error(`deno ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve(out)),
      );
    });
    const figures = JSON.parse(stdout.trim().split('\n').at(-1)!) as Figures;
    log(`deno kv: first load ${rate(figures.write.load)}, overwrite ${rate(figures.write.overwrite)}, raw put ${rate(figures.write.raw)}`);
    for (const f of figures.reads) log(`deno kv ${f.entities}x${f.features}: ${fmtMs(f.store.p50)} vs raw ${fmtMs(f.raw.p50)}`);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The edge online stores measured in their own runtimes: store.read and store.write beside the backend's raw get and put. */
export async function benchEdgeKv(iterations: number): Promise<string> {
  const cf = await cloudflare(iterations);
  const dk = await deno(iterations);
  // Materializing into Workers KV from Node: the bulk file and the REST bulk client (BENCH_KV_BULK_ROWS, default 100k).
  const bulk = await benchEdgeKvBulk(Number(process.env.BENCH_KV_BULK_ROWS ?? 100_000));
  const readRows = (label: string, figures: Figures) =>
    figures.reads.map(
      ({ entities, features, store, raw }) =>
        `| ${label} | ${entities} x ${features} | ${fmtMs(store.p50)} | ${fmtMs(store.p99)} | ${fmtMs(raw.p50)} | ${fmtMs(raw.p99)} | ${ratio(store.p50, raw.p50)} | ${store.group === raw.group ? store.group : `${store.group} / ${raw.group}`} |`,
    );
  const n = (x: number) => x.toLocaleString('en-US');
  const miniflareVersion = (JSON.parse(readFileSync(here('../node_modules/miniflare/package.json'), 'utf8')) as { version: string }).version;
  return [
    '## Edge online stores (workerd, Deno)',
    '',
    `Each store runs where it is deployed, and is timed there: CloudflareKvOnlineStore in a Worker inside workerd (miniflare ${miniflareVersion}, an in-memory KV namespace binding: miniflare's local KV simulator, not Cloudflare's network), and DenoKvOnlineStore in the deno binary (${dk.version}) over a Deno KV file (SQLite) opened by Deno.openKv. ${n(CF_ENTITIES)} (Cloudflare) and ${n(DENO_ENTITIES)} (Deno) entities x 50 Float64 features are first written through store.write, then store.read of 1, 10 and 100 of them (10 or 50 features) is timed beside the backend's raw get of the same keys in the same run: the bulk env.KV.get(keys, 'text') in chunks of 100, all in flight (as the store does it, values left as base64 text), and kv.getMany in chunks of 10, all in flight (values left as bytes). The difference is feast-edge's work: key building, MessagePack decoding (and base64 on KV), shaping the result. ${iterations} samples per figure after warm-up.`,
    '',
    `Time in workerd: performance.now() there is Date.now(), whole milliseconds, and in production it advances only across I/O (a Spectre mitigation; under miniflare it was seen to advance during pure computation too). Every timed call awaits KV I/O, so back-to-back calls are spanned whole, but one call is under a tick: a Cloudflare sample is the mean of K back-to-back calls (K chosen per figure so a sample lasts about ${CF_SAMPLE_MS} ms, at least 2, shown in the last column), so its p99 is over those means and smoother than a per-call p99. Deno's performance.now() has microsecond resolution: its samples are single calls (K = 1). Store and raw samples are taken in turns, so the machine's noise falls on both alike.`,
    '',
    '| store (runtime) | entities x features | store.read p50 | p99 | raw get p50 | p99 | ratio (p50) | calls per sample |',
    '|---|---|---|---|---|---|---|---|',
    ...readRows('Cloudflare KV (workerd)', cf),
    ...readRows('Deno KV (deno)', dk),
    '',
    `Writes, rows/s over 50 Float64 features. First load: the rows above written onto an empty store (Cloudflare: ${n(CF_BATCH)}-row batches, one Worker request each, so each invocation stays under the ~1,000 KV operations production allows; Deno: ${n(DENO_BATCH)}-row batches). Overwrite: store.write of rows already stored with the same event time (all written again): Cloudflare ${n(CF_WRITE_ROWS)} rows, one pass, its batches taking turns with the raw put's (miniflare's KV takes about a second per thousand puts); Deno all ${n(DENO_ENTITIES)} rows, median of 3 passes taking turns with the raw puts' passes. Raw put: the same rows encoded as the store encodes them, to other keys, with no read and no event-time check: Cloudflare env.KV.put with the store's 50 puts in flight (${n(CF_WRITE_ROWS)} rows, one pass); Deno atomic().set() in operations of 100 rows (the store's chunk) without checks (median of 3; in operations of ${dk.rawLargeChunk} rows, near Deno KV's 80 KiB cap on an operation's keys: ${dk.write.rawLarge === undefined ? 'n/a' : rate(dk.write.rawLarge)}). The ratio is how many times slower the store's overwrite is than the raw put: the store reads every key first (bulk get / getMany), compares event times and, on Deno, checks versionstamps in the commit.`,
    '',
    '| store (runtime) | rows written | batch | store write, first load | store write, overwrite | raw put | ratio |',
    '|---|---|---|---|---|---|---|',
    `| Cloudflare KV (workerd) | ${n(CF_ENTITIES)} | ${n(CF_BATCH)} | ${rate(cf.write.load)} | ${rate(cf.write.overwrite)} | ${rate(cf.write.raw)} | ${ratio(cf.write.raw, cf.write.overwrite)} |`,
    `| Deno KV (deno) | ${n(DENO_ENTITIES)} | ${n(DENO_BATCH)} | ${rate(dk.write.load)} | ${rate(dk.write.overwrite)} | ${rate(dk.write.raw)} | ${ratio(dk.write.raw, dk.write.overwrite)} |`,
    '',
    bulk,
  ].join('\n');
}
