/**
 * Peak memory of `feast-edge materialize` into LMDB as the source grows: the built CLI runs
 * in a child process over a generated repo (one Parquet file of N rows x 50 Float64
 * features, written by DuckDB here, never committed), and /proc/<pid>/status is sampled
 * every 20 ms for VmRSS, RssAnon and RssFile (VmHWM gives the kernel's own peak).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NativeDuckDBEngine } from '../src/runtime/node/duckdb/duckdb-native-engine.js';
import { buildIfStale, CLI } from '../test/cli/built-cli.js';

export const RSS_FEATURES = 50;
const START = '2021-01-01T00:00:00Z';
const END = '2021-12-31T00:00:00Z';

const FEATURE_STORE_YAML = `project: bench
provider: local
registry: data/registry.json
offline_store:
  type: duckdb-native
online_store:
  type: lmdb
entity_key_serialization_version: 3
`;

const DEFINITIONS = `import { entity, field, fileSource, featureView, Float64, Int64 } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const stats = featureView({
  name: 'stats', entities: [driver], ttl: '0s',
  source: fileSource({ name: 'stats_source', path: 'data/source.parquet', timestampField: 'event_timestamp', createdTimestampColumn: 'created' }),
  schema: [${Array.from({ length: RSS_FEATURES }, (_, f) => `field('f${f}', Float64)`).join(', ')}],
});
`;

/**
 * A repo whose source holds `rows` rows: rows / 2 driver ids with two rows each (the
 * later one wins), 50 Float64 features. Reused when it already exists.
 */
export async function generateRepo(root: string, rows: number): Promise<string> {
  const repo = join(root, `materialize-${rows}`);
  const parquet = join(repo, 'data', 'source.parquet');
  if (existsSync(parquet)) return repo;
  mkdirSync(join(repo, 'data'), { recursive: true });
  writeFileSync(join(repo, 'feature_store.yaml'), FEATURE_STORE_YAML);
  writeFileSync(join(repo, 'definitions.ts'), DEFINITIONS);
  const engine = await NativeDuckDBEngine.open();
  try {
    const features = Array.from({ length: RSS_FEATURES }, (_, f) => `(i * 0.5 + ${f})::DOUBLE AS f${f}`).join(', ');
    await engine.exec(
      `COPY (SELECT (i // 2)::BIGINT AS driver_id, TIMESTAMP '2021-04-12 00:00:00' + to_seconds((i % 2) * 3600 + i // 2) AS event_timestamp, ` +
        `TIMESTAMP '2021-04-13 00:00:00' AS created, ${features} FROM range(${rows}) t(i)) TO '${parquet}' (FORMAT parquet)`,
    );
  } finally {
    await engine.close();
  }
  return repo;
}

export interface RssSample {
  peakRssMb: number;
  peakAnonMb: number;
  peakFileMb: number;
  hwmMb: number;
  seconds: number;
  stdout: string;
}

function statusFields(pid: number): Record<string, number> | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const out: Record<string, number> = {};
    for (const match of text.matchAll(/^(VmRSS|RssAnon|RssFile|VmHWM):\s+(\d+) kB/gm)) out[match[1]] = Number(match[2]) / 1024;
    return out;
  } catch {
    return undefined;
  }
}

/**
 * The read half alone, from the built package in a child process of its own: DuckDB's
 * latest row per key streamed in materialize's batches and dropped, no store. Its peak
 * is the floor of what materialize holds besides the store.
 */
const READ_ALONE = `
const root = process.argv[1];
const repo = process.argv[2];
const { entity, featureView, field, fileSource, Float64, Int64 } = await import(root + '/dist/index.js');
const { createNodeEngine, nodeSourceLoader } = await import(root + '/dist/node.js');
const { createDuckDbOfflineStore } = await import(root + '/dist/offline.js');
const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const view = featureView({ name: 'stats', entities: [driver], ttl: '0s',
  source: fileSource({ name: 'stats_source', path: 'data/source.parquet', timestampField: 'event_timestamp', createdTimestampColumn: 'created' }),
  schema: Array.from({ length: ${RSS_FEATURES} }, (_, f) => field('f' + f, Float64)) });
const offline = createDuckDbOfflineStore({ engine: () => createNodeEngine(), sources: nodeSourceLoader(repo) });
const latest = await offline.pullLatest(view, ${BigInt(Date.parse(START)) * 1000n}n, ${BigInt(Date.parse(END)) * 1000n}n, { batchRows: 10000 });
let rows = 0;
for await (const batch of latest.batches) rows += batch.rows;
console.log(rows);
await offline.close();
`;

/** Runs the built CLI with `args` (or `script` with them) in a child process, sampling its memory until it exits. */
export async function runSampled(args: readonly string[], env: NodeJS.ProcessEnv = {}, script: readonly string[] = [CLI]): Promise<RssSample> {
  const started = performance.now();
  const child = spawn(process.execPath, [...script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const peak = { peakRssMb: 0, peakAnonMb: 0, peakFileMb: 0, hwmMb: 0 };
  const sample = () => {
    const s = child.pid ? statusFields(child.pid) : undefined;
    if (!s) return;
    peak.peakRssMb = Math.max(peak.peakRssMb, s.VmRSS ?? 0);
    peak.peakAnonMb = Math.max(peak.peakAnonMb, s.RssAnon ?? 0);
    peak.peakFileMb = Math.max(peak.peakFileMb, s.RssFile ?? 0);
    peak.hwmMb = Math.max(peak.hwmMb, s.VmHWM ?? 0);
  };
  const timer = setInterval(sample, 20);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(timer);
  if (code !== 0) throw new Error(`feast-edge ${args.join(' ')} exited ${code}: ${stderr}`);
  return { ...peak, seconds: (performance.now() - started) / 1000, stdout };
}

/** Applies the repo, then materializes it into a fresh LMDB file, sampling the materialize process. */
export async function materializeRss(repo: string, env: NodeJS.ProcessEnv = {}): Promise<RssSample> {
  rmSync(join(repo, 'data', 'online_store.lmdb'), { recursive: true, force: true });
  rmSync(join(repo, 'data', 'online_store.lmdb-lock'), { force: true });
  rmSync(join(repo, 'data', 'registry.json'), { force: true });
  await runSampled(['--repo', repo, 'apply']);
  return runSampled(['--repo', repo, 'materialize', START, END], env);
}

/** DuckDB's read of the latest rows alone, sampled the same way. */
export async function readAloneRss(repo: string): Promise<RssSample> {
  const sample = await runSampled([join(import.meta.dirname, '..'), repo], {}, ['--input-type=module', '-e', READ_ALONE]);
  if (Number(sample.stdout.trim()) <= 0) throw new Error(`read alone: no rows read (${sample.stdout})`);
  return sample;
}

const mb = (n: number) => `${Math.round(n).toLocaleString('en-US')} MB`;

/** The markdown section: peak RSS (anonymous and file-backed) per source size. */
export async function benchMaterializeRss(root: string, sizes: readonly number[]): Promise<string> {
  buildIfStale();
  // The store's file is what its map can hold resident: file-backed pages are bounded by it, whatever the source.
  const lines = [
    '| source rows | rows written | peak RSS | peak anonymous | peak file-backed | LMDB file written | DuckDB read alone: peak anonymous | VmHWM | time | rows/s |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const rows of sizes) {
    const repo = await generateRepo(root, rows);
    const s = await materializeRss(repo);
    const storeMb = statSync(join(repo, 'data', 'online_store.lmdb')).size / 1024 / 1024;
    const read = await readAloneRss(repo);
    const written = rows / 2;
    lines.push(
      `| ${rows.toLocaleString('en-US')} | ${written.toLocaleString('en-US')} | ${mb(s.peakRssMb)} | ${mb(s.peakAnonMb)} | ${mb(s.peakFileMb)} | ${mb(storeMb)} | ${mb(read.peakAnonMb)} | ${mb(s.hwmMb)} | ${s.seconds.toFixed(1)} s | ${Math.round(written / s.seconds).toLocaleString('en-US')} |`,
    );
    process.stdout.write(
      `  ${rows} rows: peak RSS ${mb(s.peakRssMb)} (anon ${mb(s.peakAnonMb)}, file ${mb(s.peakFileMb)}, store file ${mb(storeMb)}; read alone: anon ${mb(read.peakAnonMb)}), ${s.seconds.toFixed(1)} s\n`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = (process.env.RSS_SIZES ?? '100000,1000000,3000000').split(',').map(Number);
  console.log(await benchMaterializeRss(join(import.meta.dirname, '.data'), sizes));
}
