/**
 * `npm run bench`: runs the benchmarks and rewrites BENCHMARKS.md. BENCH_SCALE (default
 * 1) scales data sizes; BENCH_RUNS (default 3) sets timed runs per figure;
 * BENCH_ENGINES=native,wasm picks engines.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { NativeDuckDBEngine } from '../src/runtime/node/duckdb/duckdb-native-engine.js';
import type { SqlEngine } from '../src/sql/sql-engine.js';
import { generateHistoricalData } from './historical-data.js';
import { benchHistorical } from './historical.js';
import { benchOnline } from './online.js';

const scale = Number(process.env.BENCH_SCALE ?? 1);
// DuckDB-WASM's 32-bit heap (about 3 GiB) cannot hold (a) at full size: the engines are
// also compared on (a) at this smaller scale, where both fit.
const wasmScale = Number(process.env.BENCH_WASM_SCALE ?? 0.25);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const wanted = (process.env.BENCH_ENGINES ?? 'native,wasm').split(',');
const root = join(import.meta.dirname, '.data');

async function openWasm(): Promise<SqlEngine> {
  const module = await import('../src/runtime/node/duckdb/wasm-engine.js');
  return module.createWasmEngine();
}

const NOTE = `
Reading the figures: feast-edge beats the hand-written query on (a) because it orders
each ASOF join by (event time, created time) instead of deduplicating 10M rows per view
first; the naive ASOF is faster still but returns an arbitrary row when event times
tie. DuckDB-WASM has a 32-bit heap (3.1 GiB) and no disk to spill to: feast-edge sizes the
join from the registered row counts and the memory limit and, for (a) at full size, runs it
in hash partitions ('partitions' column; README, How it runs). The floor table times the
hand-written query on one partition's rows, read and filtered before the clock, times the
partition count: what the passes alone cost at best. The engines are also compared on (a)
at a quarter of the size, where one statement fits both. RSS never shrinks within one
process (the WASM heap in particular), so a figure's growth can be small when an earlier
figure already grew the heap.
`;

const suites = (process.env.BENCH_SUITES ?? 'historical,online,redis-layouts,indexeddb,edge,server,browser,browser-historical,stream,materialize').split(',');
const resultsDir = join(import.meta.dirname, 'results');
mkdirSync(resultsDir, { recursive: true });
const stamp = `BENCH_SCALE=${scale}, ${runs} timed runs per figure, ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;

const engines: { label: string; open: () => Promise<SqlEngine> }[] = [];
if (wanted.includes('native')) engines.push({ label: 'duckdb-native', open: () => NativeDuckDBEngine.open() });
if (wanted.includes('wasm')) engines.push({ label: 'duckdb-wasm', open: openWasm });

if (suites.includes('historical')) {
  const generator = await NativeDuckDBEngine.open();
  console.log(`generating data (scales ${scale} and ${wasmScale}) under ${root} ...`);
  const data = await generateHistoricalData(generator, scale, root);
  const small = await generateHistoricalData(generator, wasmScale, root);
  await generator.close();

  console.log('historical retrieval:');
  const historical = await benchHistorical(data, engines, runs);
  const comparison = engines.length > 1 ? await benchHistorical(small, engines, runs, ['a']) : undefined;
  writeFileSync(
    join(resultsDir, 'historical.md'),
    `<!-- ${stamp} -->
## Historical retrieval (point-in-time join)

Each run reads the entity rows and the sources from Parquet and returns an Arrow table.
"Hand-written" is the query a DuckDB user would write for the same answer (dedup on
(key, event time) by created time, one ASOF join per view, ttl as a CASE), run on the same
engine, data and process. "Naive ASOF" skips the created-time tie-break: a lower bound,
not a correct answer.
Data: (a) ${data.sizes.entityRowsA.toLocaleString('en-US')} entity rows, 2 views x ${data.sizes.viewRowsA.toLocaleString('en-US')} rows,
${data.sizes.drivers.toLocaleString('en-US')} drivers, ttl 1 day; (b) ${data.sizes.entityRowsB.toLocaleString('en-US')} entity rows, 10 views x
${data.sizes.viewRowsB.toLocaleString('en-US')} rows x ${data.sizes.featuresB} features (the shape of Feast issue 3003, reported there
as 30 minutes on Feast's local store).

${historical.markdown}
${NOTE}${
  comparison
    ? `
### Both engines on (a) at scale ${wasmScale}

${comparison.markdown}
`
    : ''
}`,
  );
}

if (suites.includes('online')) {
  console.log('online reads and materialization:');
  writeFileSync(join(resultsDir, 'online.md'), `<!-- ${stamp} -->\n${await benchOnline(Number(process.env.BENCH_ITERATIONS ?? 2000))}`);
}

if (suites.includes('redis-layouts')) {
  console.log("Redis: Feast's layout beside feast-edge's own:");
  const { benchRedisLayouts } = await import('./redis-layouts.js');
  writeFileSync(join(resultsDir, 'redis-layouts.md'), `<!-- ${stamp} -->\n${await benchRedisLayouts(Number(process.env.BENCH_ITERATIONS ?? 2000))}`);
}

if (suites.includes('indexeddb')) {
  console.log('IndexedDB in Chromium:');
  const { benchIndexedDb } = await import('./indexeddb.js');
  writeFileSync(join(resultsDir, 'indexeddb.md'), `<!-- ${stamp} -->\n${await benchIndexedDb(Number(process.env.BENCH_IDB_ITERATIONS ?? 300))}`);
}

if (suites.includes('edge')) {
  console.log('Cloudflare KV (workerd) and Deno KV (deno):');
  const { benchEdgeKv } = await import('./edge-kv.js');
  writeFileSync(join(resultsDir, 'edge-kv.md'), `<!-- ${stamp} -->\n${await benchEdgeKv(Number(process.env.BENCH_EDGE_ITERATIONS ?? 300))}`);
}

if (suites.includes('server')) {
  console.log('feature server (Node, LMDB) beside a bare Hono route:');
  const { benchServer } = await import('./server.js');
  writeFileSync(join(resultsDir, 'server.md'), `<!-- ${stamp} -->\n${await benchServer()}`);
}

if (suites.includes('browser')) {
  console.log('the feature store in Chromium (Web Worker, Service Worker):');
  const { benchWorkerHistorical, benchFirstAnswer, benchTransfer } = await import('./browser-worker.js');
  const browserRuns = Number(process.env.BENCH_BROWSER_RUNS ?? 5);
  writeFileSync(
    join(resultsDir, 'browser.md'),
    `<!-- ${stamp} -->
## The feature store in the browser (Chromium)

${await benchWorkerHistorical(runs)}
${await benchFirstAnswer(browserRuns * 4)}
${await benchTransfer(browserRuns)}`,
  );
}

if (suites.includes('browser-historical')) {
  console.log('historical retrieval at full size in a Web Worker (Chromium) beside native DuckDB:');
  const { benchWorkerHistoricalLarge } = await import('./browser-worker.js');
  writeFileSync(
    join(resultsDir, 'browser-historical.md'),
    `<!-- ${stamp} -->
## The feature store in the browser (Chromium): a join larger than DuckDB-WASM's heap

${await benchWorkerHistoricalLarge(runs)}`,
  );
}

if (suites.includes('stream')) {
  console.log('stream feature views (memory, LMDB, IndexedDB in Chromium):');
  const { benchStream } = await import('./stream.js');
  writeFileSync(join(resultsDir, 'stream.md'), `<!-- ${stamp} -->\n${await benchStream(Number(process.env.BENCH_ITERATIONS ?? 2000))}`);
}

if (suites.includes('materialize')) {
  console.log('materialization: end to end beside the raw put, and peak RSS of `feast-edge materialize` as the source grows:');
  const { benchMaterialize } = await import('./materialize.js');
  const { benchMaterializeRss } = await import('./materialize-rss.js');
  const sizes = [100_000, 1_000_000, 3_000_000].map((n) => Math.max(1000, Math.round((n * scale) / 2) * 2));
  writeFileSync(
    join(resultsDir, 'materialize.md'),
    `<!-- ${stamp} -->
${await benchMaterialize(Math.max(1000, Math.round(100_000 * scale)), runs)}
## Materialization: peak memory as the source grows

\`feast-edge materialize\` (the built CLI, native DuckDB, LMDB) in a child process over a generated repo: one Parquet file of N rows x 50 Float64 features with a created column, N / 2 keys with two rows each (the later wins), into an empty LMDB store. /proc/<pid>/status is sampled every 20 ms: VmRSS split into anonymous memory (DuckDB, the JS heap and buffers) and file-backed pages (LMDB's memory map: pages of the store's own file read through the map; clean page cache the kernel may drop, counted in RSS while mapped); the LMDB file written is the store's size after the run, which bounds what its map can hold resident; beside them, DuckDB's read of the same latest rows alone (the built package in a child process, batches dropped, no store), sampled the same way: the floor of the anonymous part. Reproduce: \`node --import tsx bench/materialize-rss.ts\` (RSS_SIZES=100000,1000000,3000000).

${await benchMaterializeRss(root, sizes)}
`,
  );
}

// BENCHMARKS.md gathers every suite's latest result, so suites can be rerun one at a time.
const sections = readdirSync(resultsDir)
  .filter((f) => f.endsWith('.md'))
  .sort()
  .map((f) => {
    const text = readFileSync(join(resultsDir, f), 'utf8');
    return `${text.split('\n').slice(1).join('\n')}\n_Run: ${text.split('\n')[0].replace(/<!-- | -->/g, '')}._\n`;
  });
writeFileSync(
  join(import.meta.dirname, '..', 'BENCHMARKS.md'),
  `# Benchmarks

Written by \`npm run bench\` (BENCH_SUITES=historical,online,redis-layouts,indexeddb,edge,server,browser,browser-historical,stream,materialize by default; each suite's
result is kept in bench/results/ and gathered here). Every figure sits beside a baseline
measured in the same run on the same machine; the ratio is the figure to read.

${sections.join('\n')}`,
);
console.log('wrote BENCHMARKS.md');
