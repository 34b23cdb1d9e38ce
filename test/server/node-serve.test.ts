import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale, CLI, cli } from '../cli/built-cli.js';
import { FIXTURE_PROJECT } from './fixture-definitions.js';
import { runWireCases, wireCases } from './wire-cases.js';

/** `feast-edge serve` running in its own process, with everything it printed so far. */
interface Served {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Spawns the built CLI's `serve` and resolves once it prints its URL (or rejects with its output if it exits first). */
async function serve(repo: string, args: readonly string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, '--repo', repo, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const found = output.match(/ at (http:\/\/\S+) /);
      if (found) resolve(found[1]);
    };
    child.stdout!.on('data', look);
    void exited.then((code) => reject(new Error(`serve exited with ${code} before printing its URL: ${output}`)));
  });
  return { child, url, output: () => output, exited };
}

/** Resolves when the process has printed text matching `pattern`. */
async function printed(served: Served, pattern: RegExp): Promise<void> {
  while (!pattern.test(served.output())) await once(served.child.stdout!, 'data');
}

function body(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    response
      .setEncoding('utf8')
      .on('data', (chunk: string) => {
        text += chunk;
      })
      .on('end', () => resolve(text))
      .on('error', reject);
  });
}

const FEATURE_STORE_YAML = `project: ${FIXTURE_PROJECT}\nregistry: data/registry.json\nonline_store:\n  type: lmdb\n`;
const SPEED = "field('label', Str), field('speed', Float64)],";

let dir: string;
let repo: string;
let fixtureSource: string;

/** The fixture repo's definitions as a repo module: the same objects, imported from 'feast-edge'. */
async function writeDefinitions(source: string): Promise<void> {
  const module = source
    .replace("from '../../src/index.js'", "from 'feast-edge'")
    // Exported too: a second CLI apply deletes registered sources the modules do not export,
    // even one a view still reads (src/cli/removed-objects.ts), and then refuses the apply.
    .replace('const driverStatsSource =', 'export const driverStatsSource =');
  await writeFile(join(repo, 'definitions.ts'), module);
}

beforeAll(async () => {
  buildIfStale();
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-serve-'));
  repo = join(dir, 'repo');
  await mkdir(join(repo, 'data'), { recursive: true });
  await writeFile(join(repo, 'feature_store.yaml'), FEATURE_STORE_YAML);
  fixtureSource = await readFile(join(import.meta.dirname, 'fixture-definitions.ts'), 'utf8');
  expect(fixtureSource).toContain("from '../../src/index.js'");
  await writeDefinitions(fixtureSource);
  const applied = await cli(['--repo', repo, 'apply']);
  expect(applied.stderr).toBe('');
  expect(applied.code).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('feast-edge serve (the built CLI over real HTTP, LMDB online store)', () => {
  let served: Served;
  beforeAll(async () => {
    served = await serve(repo, ['--port', '0', '--registry-ttl', '0']);
  });
  afterAll(() => {
    if (served.child.exitCode === null) served.child.kill('SIGKILL');
  });

  it('prints the URL it serves and answers every wire-format case as Feast does', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const outcomes = await runWireCases((req) => fetch(req), served.url);
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes).toHaveLength(wireCases.length);
  });

  it('refuses a second server on the same port with one line and a non-zero exit', async () => {
    const port = new URL(served.url).port;
    const second = await cli(['--repo', repo, 'serve', '--port', port]);
    expect(second.code).not.toBe(0);
    expect(second.stderr.trim()).toBe(`error: port ${port} on 127.0.0.1 is already in use; stop the other server or pass another port`);
  });

  it('refuses a port that is not one with one line and a non-zero exit', async () => {
    for (const port of ['70000', 'http', '-1']) {
      const result = await cli(['--repo', repo, 'serve', '--port', port]);
      expect(result.code, port).not.toBe(0);
      expect(result.stderr.trim().split('\n'), port).toHaveLength(1);
      expect(result.stderr, port).toMatch(/^error: .*port/);
    }
  });

  it('sees a feature added by an apply from another process (registry ttl 0)', async () => {
    const post = (path: string, payload: unknown) =>
      fetch(`${served.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload) });
    const ask = () => post('/get-online-features', { features: ['driver_hourly_stats:speed'], entities: { driver_id: [1005] } });
    const before = await ask();
    expect([before.status, before.headers.get('x-feast-edge-error')]).toEqual([404, 'FeatureNotFoundException']);
    expect(await before.json()).toMatch(/'speed'/);

    const withSpeed = fixtureSource.replace("field('label', Str)],", SPEED);
    expect(withSpeed).toContain(SPEED);
    await writeDefinitions(withSpeed);
    const applied = await cli(['--repo', repo, 'apply']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/driver_hourly_stats/);

    const written = await post('/write-to-online-store', {
      feature_view_name: 'driver_hourly_stats',
      df: {
        driver_id: [1005],
        event_timestamp: ['2021-04-12T09:00:00Z'],
        conv_rate: [0.5],
        acc_rate: [0.5],
        avg_daily_trips: [5],
        label: ['new'],
        speed: [42.5],
      },
    });
    expect(written.status).toBe(200);
    const after = await ask();
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({
      results: [
        { values: [1005], statuses: ['PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z'] },
        { values: [42.5], statuses: ['PRESENT'], event_timestamps: ['2021-04-12T09:00:00Z'] },
      ],
      metadata: { feature_names: ['driver_id', 'speed'] },
    });
  });

  it('on SIGTERM stops accepting, finishes the request in flight, and exits 0', async () => {
    const { hostname, port } = new URL(served.url);
    // The view has 'speed' too when the apply test ran first; a write must give every feature.
    const registry = (await (await fetch(`${served.url}/registry`)).json()) as { featureViews: Record<string, { spec: { features: { name: string }[] } }> };
    const hasSpeed = registry.featureViews.driver_hourly_stats.spec.features.some((f) => f.name === 'speed');
    const written = await fetch(`${served.url}/write-to-online-store`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        feature_view_name: 'driver_hourly_stats',
        df: {
          driver_id: [1006],
          event_timestamp: ['2021-04-12T10:30:00Z'],
          conv_rate: [0.1],
          acc_rate: [0.2],
          avg_daily_trips: [3],
          label: ['held'],
          ...(hasSpeed ? { speed: [1.5] } : {}),
        },
      }),
    });
    expect(written.status).toBe(200);
    // Expect: 100-continue holds the request open without timing: the server sends
    // "100 Continue" only once it has parsed the headers and started the handler, which
    // then waits for the body this test sends after the signal.
    const held = request({
      hostname,
      port,
      path: '/get-online-features',
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Expect: '100-continue' },
    });
    const answered = once(held, 'response') as Promise<[IncomingMessage]>;
    held.flushHeaders();
    await once(held, 'continue');

    served.child.kill('SIGTERM');
    await printed(served, /SIGTERM: shutting down/);
    const refused = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      request({ hostname, port, path: '/health', agent: false })
        .on('response', () => resolve(undefined))
        .on('error', resolve)
        .end();
    });
    // Refused, or reset when it raced the listening socket's close: either way not served.
    expect(refused?.code).toMatch(/^(ECONNREFUSED|ECONNRESET)$/);

    held.end(JSON.stringify({ features: ['driver_hourly_stats:label'], entities: { driver_id: [1006] } }));
    const [response] = await answered;
    expect(response.statusCode).toBe(200);
    expect(JSON.parse(await body(response))).toEqual({
      results: [
        { values: [1006], statuses: ['PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z'] },
        { values: ['held'], statuses: ['PRESENT'], event_timestamps: ['2021-04-12T10:30:00Z'] },
      ],
      metadata: { feature_names: ['driver_id', 'label'] },
    });
    expect(await served.exited).toBe(0);
    expect(served.output()).toMatch(/Stopped\.\n$/);
  });
});
