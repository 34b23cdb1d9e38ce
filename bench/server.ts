import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFeatureStore } from '../src/runtime/node/open-feature-store.js';
import { buildIfStale, CLI } from '../test/cli/built-cli.js';
import { fmtMs, ratio } from './measure.js';

/*
 * The HTTP feature server as deployed: `feast-edge serve` (the built CLI, LMDB online
 * store) in its own process, loaded by autocannon from this one, beside a bare Hono route
 * on @hono/node-server (also its own process) that reads the same request and answers a
 * precomputed body of the same size. The ratio of throughputs is the figure to read.
 */

const ENTITIES = 100_000;
const WIDE_ENTITIES = 10_000;
const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_SERVER_SECONDS ?? 6);
const scale = Number(process.env.BENCH_SCALE ?? 1);
// BENCH_SERVER_BEFORE_CLI=path/to/an/older/dist/cli/main.js serves the same repo with an older build in the same run, for a before/after ratio.
const BEFORE_CLI = process.env.BENCH_SERVER_BEFORE_CLI;
/** Where the server's --cpu-prof findings are kept (written by hand from BENCH_SERVER_PROF runs; a profile is not rerun by every bench). */
const PROFILE_NOTE = join(import.meta.dirname, 'results', 'server-profile.md');

interface AutocannonResult {
  requests: { total: number };
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
// autocannon ships no types; only its programmatic call is used.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface Shape {
  label: string;
  view: string;
  features: number;
  entities: number;
  population: number;
}
const ALL_SHAPES: Shape[] = [
  ...[1, 10, 50, 100].map((entities) => ({ label: `${entities} x 50`, view: 'stats', features: 50, entities, population: ENTITIES })),
  { label: '1 x 250', view: 'wide', features: 250, entities: 1, population: WIDE_ENTITIES },
];
// BENCH_SERVER_SHAPES='1 x 50,1 x 250' runs some shapes only (with BENCH_SERVER_PROF=dir, to profile one).
const wantedShapes = process.env.BENCH_SERVER_SHAPES?.split(',').map((s) => s.trim());
const SHAPES = ALL_SHAPES.filter((shape) => !wantedShapes || wantedShapes.includes(shape.label));

function fields(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, f) => `field('${prefix}${f}', Float64)`).join(', ');
}

const definitions = () => `import { entity, featureView, field, fileSource, Float64, Int64 } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const source = fileSource({ name: 'bench_source', path: 'data/bench.parquet', timestampField: 'event_timestamp' });
export const stats = featureView({ name: 'stats', entities: [driver], ttl: '0s', source, schema: [${fields('f', 50)}] });
export const wide = featureView({ name: 'wide', entities: [driver], ttl: '0s', source, schema: [${fields('w', 250)}] });
`;

/** A repo with the two views, applied, and `population` rows of each written to LMDB. */
async function makeRepo(dir: string, populations: { stats: number; wide: number }): Promise<string> {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'data'), { recursive: true });
  writeFileSync(join(repo, 'feature_store.yaml'), 'project: bench_server\nregistry: data/registry.json\nonline_store:\n  type: lmdb\n');
  writeFileSync(join(repo, 'definitions.ts'), definitions());
  const { store, definitions: objects } = await openFeatureStore({ repoPath: repo });
  try {
    await store.apply(objects);
    for (const [view, prefix, features, rows] of [
      ['stats', 'f', 50, populations.stats],
      ['wide', 'w', 250, populations.wide],
    ] as const) {
      for (let offset = 0; offset < rows; offset += 10_000) {
        const ids = Array.from({ length: Math.min(10_000, rows - offset) }, (_, i) => offset + i);
        const columns: Record<string, unknown[]> = { driver_id: ids, event_timestamp: ids.map(() => '2021-04-12T10:00:00Z') };
        for (let f = 0; f < features; f++) columns[`${prefix}${f}`] = ids.map((id) => id + f / 1000);
        await store.writeToOnlineStore(view, columns);
      }
    }
  } finally {
    await store.close();
  }
  return repo;
}

/** Starts a child process and resolves with the URL it prints. */
async function startChild(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(/(http:\/\/127\.0\.0\.1:\d+)/);
      if (found) resolve(found[1]);
    });
    void exited.then(() => reject(new Error(`server exited before printing its URL: ${output}`)));
  });
  return {
    child,
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The bare baseline: Hono on @hono/node-server, one route per shape answering its precomputed body after reading the request. */
const BARE_SERVER = `
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const bodies = JSON.parse(readFileSync(process.env.BARE_BODIES, 'utf8'));
const app = new Hono();
bodies.forEach((body, i) => app.post('/shape' + i, async (c) => { await c.req.text(); return c.body(body, 200, { 'Content-Type': 'application/json' }); }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log('http://127.0.0.1:' + info.port));
process.once('SIGTERM', () => server.close());
`;

/** Request bodies for one shape, each with different random entities, cycled by the load generator. */
function requestBodies(shape: Shape, count = 512): string[] {
  const prefix = shape.view === 'stats' ? 'f' : 'w';
  const features = Array.from({ length: shape.features }, (_, f) => `${shape.view}:${prefix}${f}`);
  return Array.from({ length: count }, () =>
    JSON.stringify({
      features,
      entities: { driver_id: Array.from({ length: shape.entities }, () => Math.floor(Math.random() * shape.population)) },
    }),
  );
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
}

/** autocannon at CONNECTIONS connections for `seconds`; latencies are kept unrounded (autocannon's own histogram rounds to whole ms). */
function load(url: string, bodies: string[], seconds: number, times: number[] = []): Promise<Load> {
  let next = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        duration: seconds,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (request: Record<string, unknown>) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        if (result.errors || result.timeouts || result.non2xx)
          return reject(new Error(`${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`));
        const sorted = times.toSorted((a, b) => a - b);
        resolve({
          rps: result.requests.total / (result.duration || seconds),
          p50: sorted[Math.floor(sorted.length * 0.5)],
          p99: sorted[Math.floor(sorted.length * 0.99)],
          requests: result.requests.total,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
}

/**
 * The servers loaded in turn, ROUNDS times `seconds / ROUNDS` each: on a shared machine a
 * burst of other work then falls on all of them alike. Requests and latencies are pooled.
 */
async function loadInTurn(urls: string[], bodies: string[], seconds: number): Promise<Load[]> {
  const rounds = Number(process.env.BENCH_SERVER_ROUNDS ?? 3);
  const pooled = urls.map(() => ({ requests: 0, seconds: 0, times: [] as number[] }));
  for (let round = 0; round < rounds; round++) {
    for (const [i, url] of urls.entries()) {
      const one = await load(url, bodies, Math.max(1, Math.round(seconds / rounds)), pooled[i].times);
      pooled[i].requests += one.requests;
      pooled[i].seconds += one.requests / one.rps;
    }
  }
  return pooled.map(({ requests, seconds: total, times }) => {
    const sorted = times.toSorted((a, b) => a - b);
    return { rps: requests / total, p50: sorted[Math.floor(sorted.length * 0.5)], p99: sorted[Math.floor(sorted.length * 0.99)], requests };
  });
}

const rate = (n: number) => Math.round(n).toLocaleString('en-US');

/** Markdown section: throughput and latency of `feast-edge serve` beside a bare Hono route, per request shape. */
export async function benchServer(): Promise<string> {
  buildIfStale();
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-bench-server-'));
  const populations = { stats: Math.max(1000, Math.round(ENTITIES * scale)), wide: Math.max(1000, Math.round(WIDE_ENTITIES * scale)) };
  const seconds = Math.max(2, Math.round(SECONDS * Math.min(1, scale)));
  const rows: string[] = [];
  const verdict: string[] = [];
  const bounds: string[] = [];
  const measured: { shape: Shape; bodies: string[]; served: Load; baseline: Load; older?: Load }[] = [];
  let feastEdge: Awaited<ReturnType<typeof startChild>> | undefined;
  let bare: Awaited<ReturnType<typeof startChild>> | undefined;
  let before: Awaited<ReturnType<typeof startChild>> | undefined;
  try {
    const started = performance.now();
    const repo = await makeRepo(dir, populations);
    process.stdout.write(
      `  server: wrote ${rate(populations.stats)} x 50 and ${rate(populations.wide)} x 250 rows to LMDB in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
    );
    feastEdge = await startChild([
      ...(process.env.BENCH_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`] : []),
      CLI,
      '--repo',
      repo,
      'serve',
      '--port',
      '0',
    ]);
    const shapes = SHAPES.map((shape) => ({ shape, bodies: requestBodies(shape) }));
    // The baseline answers the same number of bytes as feast-edge does for each shape.
    const answers: string[] = [];
    for (const { bodies } of shapes) {
      const response = await fetch(`${feastEdge.url}/get-online-features`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bodies[0],
      });
      if (response.status !== 200) throw new Error(`feast-edge answered ${response.status}: ${await response.text()}`);
      answers.push(await response.text());
    }
    if (BEFORE_CLI) {
      before = await startChild([BEFORE_CLI, '--repo', repo, 'serve', '--port', '0']);
      // Same request, same bytes: the older build is the reference the wire must not drift from.
      for (const [i, { bodies }] of shapes.entries()) {
        const response = await fetch(`${before.url}/get-online-features`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: bodies[0] });
        if ((await response.text()) !== answers[i]) throw new Error(`the build before answers other bytes than this one for ${shapes[i].shape.label}`);
      }
    }
    writeFileSync(join(dir, 'bodies.json'), JSON.stringify(answers));
    bare = await startChild(['--input-type=module', '-e', BARE_SERVER], { ...process.env, BARE_BODIES: join(dir, 'bodies.json') });

    for (const [i, { shape, bodies }] of shapes.entries()) {
      const ours = `${feastEdge.url}/get-online-features`;
      const theirs = `${bare.url}/shape${i}`;
      // A short warm-up of each (JIT, LMDB pages), then the timed runs, interleaved.
      await load(ours, bodies, 1);
      await load(theirs, bodies, 1);
      if (before) await load(`${before.url}/get-online-features`, bodies, 1);
      const [served, baseline, older] = await loadInTurn([ours, theirs, ...(before ? [`${before.url}/get-online-features`] : [])], bodies, seconds);
      const bytes = Buffer.byteLength(answers[i]);
      measured.push({ shape, bodies, served, baseline, older });
      rows.push(
        `| ${shape.label} | ${rate(bytes)} B | ${rate(served.rps)} | ${fmtMs(served.p50)} | ${fmtMs(served.p99)} | ${rate(baseline.rps)} | ${fmtMs(baseline.p50)} | ${fmtMs(baseline.p99)} | ${((served.rps / baseline.rps) * 100).toFixed(0)}% |${older ? ` ${rate(older.rps)} | ${fmtMs(older.p99)} | ${ratio(served.rps, older.rps)} |` : ''}`,
      );
      process.stdout.write(
        `  server ${shape.label}: ${rate(served.rps)} req/s p99 ${fmtMs(served.p99)} vs bare ${rate(baseline.rps)} req/s p99 ${fmtMs(baseline.p99)} (${ratio(served.rps, baseline.rps)})${older ? `; before ${rate(older.rps)} req/s (${ratio(served.rps, older.rps)})` : ''}\n`,
      );
    }
    await feastEdge.stop();
    // The bound: what this build spends in process per request (the read, then the body), against
    // the bare route's whole time per request (1 / its throughput), measured in this same run.
    const { store } = await openFeatureStore({ repoPath: repo });
    try {
      for (const { shape, bodies, served, baseline, older } of measured) {
        const requests = bodies.map((body) => JSON.parse(body) as { features: string[]; entities: Record<string, number[]> });
        const iterations = Math.max(200, Math.round(20_000 / shape.entities));
        let readMs = 0;
        let writeMs = 0;
        for (let k = -50; k < iterations; k++) {
          const request = requests[(k + 50) % requests.length];
          // CPU time, which the other work on a shared machine disturbs less than wall time.
          const t0 = process.cpuUsage();
          const response = await store.getOnlineFeatures({ features: request.features, entityRows: request.entities }, { registryMaxAgeMs: 5000 });
          const t1 = process.cpuUsage(t0);
          response.toWireBytes();
          const t2 = process.cpuUsage(t0);
          // The first 50 warm up.
          if (k >= 0) {
            readMs += (t1.user + t1.system) / 1000;
            writeMs += (t2.user + t2.system - t1.user - t1.system) / 1000;
          }
        }
        readMs /= iterations;
        writeMs /= iterations;
        const bareMs = 1000 / baseline.rps;
        bounds.push(
          `| ${shape.label} | ${fmtMs(readMs)} | ${fmtMs(writeMs)} | ${fmtMs(bareMs)} | ${((bareMs / (bareMs + readMs + writeMs)) * 100).toFixed(0)}% | ${((served.rps / baseline.rps) * 100).toFixed(0)}% |`,
        );
        const share = `${((served.rps / baseline.rps) * 100).toFixed(0)}%`;
        if (shape.label === '1 x 50')
          verdict.push(`1 x 50: ${share} of the bare route's req/s (target at least 50%)${older ? `, ${ratio(served.rps, older.rps)} the build before` : ''}.`);
        if (shape.label === '100 x 50')
          verdict.push(
            `100 x 50: ${rate(served.rps)} req/s, ${share} of the bare route${older ? `, ${ratio(served.rps, older.rps)} the build before (${rate(older.rps)} req/s; target at least 4x)` : ''}.`,
          );
      }
    } finally {
      await store.close();
    }
  } finally {
    await feastEdge?.stop();
    await bare?.stop();
    await before?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return [
    '## HTTP feature server (Node)',
    '',
    `\`feast-edge serve\` (the built CLI, LMDB online store, registry ttl 5 s) answering POST /get-online-features, loaded by autocannon with ${CONNECTIONS} connections for ${seconds} s per shape and server after a 1 s warm-up, the servers in turn in ${process.env.BENCH_SERVER_ROUNDS ?? 3} rounds (a burst of other work on this shared machine falls on each alike); each request asks for random entities among ${rate(populations.stats)} (50 features, view \`stats\`) or ${rate(populations.wide)} (250 features, view \`wide\`). Beside it, in the same run, a bare Hono route on @hono/node-server that reads the same request and answers a precomputed body of the same size. Server and load generator are separate processes sharing the machine's cores; latencies are measured per request by the load generator, unrounded.`,
    '',
    `| entities x features | response | feast-edge req/s | p50 | p99 | bare Hono req/s | p50 | p99 | throughput vs bare |${BEFORE_CLI ? ' before req/s | before p99 | vs before |' : ''}`,
    `|---|---|---|---|---|---|---|---|---|${BEFORE_CLI ? '---|---|---|' : ''}`,
    ...rows,
    '',
    "Context, from Feast's published figures (other machines, so compare ratios, not values): the Python feature server on Redis, p99 at batch 1/10/50/100 entities with 50 features, 7.2/15.1/50.4/124.9 ms; the Go feature server 4.3/3.9/12.3/22.2 ms; a tuned 2026 deployment, 718 req/s per pod.",
    `Targets (issue 15): at least 50% of the bare route's req/s at 1 x 50; at 100 x 50 at least 4x the req/s of the build before${BEFORE_CLI ? ' (the "before" columns: that build, serving the same repo in this run)' : ''}. This run: ${verdict.join(' ')}`,
    '',
    "The bound, measured in this run after the load: this build's CPU time per request in one process (the LMDB read into columns, then the wire body written as bytes) beside the bare route's whole time per request (1 / its req/s). A server that adds that work to the bare route's reaches at most the 'cap' share of its req/s; serving, the work shares the 2 cores with the load generator and the bare server's idle process.",
    '',
    '| entities x features | read (in process) | write body | bare route per request | cap vs bare | served vs bare |',
    '|---|---|---|---|---|---|',
    ...bounds,
    '',
    "Reproduce: `BENCH_SUITES=server npm run bench` (`BENCH_SERVER_SHAPES='1 x 50,100 x 50'` for some shapes; `BENCH_SERVER_BEFORE_CLI=<older checkout>/dist/cli/main.js` adds the before columns; `BENCH_SERVER_PROF=<dir>` writes a `--cpu-prof` profile of `serve`).",
    ...(existsSync(PROFILE_NOTE) ? ['', readFileSync(PROFILE_NOTE, 'utf8').trim()] : []),
    '',
  ].join('\n');
}
