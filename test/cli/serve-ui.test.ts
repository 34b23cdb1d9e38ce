import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli, exampleRepo } from './built-cli.js';

let repo: Awaited<ReturnType<typeof exampleRepo>>;
let ui: string;
let child: ChildProcess;
let url: string;

let api: string;

/** Spawns the built CLI with `args`; resolves with the URLs it prints once its web app line is out. */
function spawnServer(args: readonly string[]): Promise<{ child: ChildProcess; api?: string; url: string; output: () => string }> {
  const process_ = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    process_.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const web = output.match(/Web app from .* at (http:\/\/\S+)\/ /);
      const served = output.match(/Serving project '[^']*' at (http:\/\/\S+) /);
      if (web) resolve({ child: process_, api: served?.[1], url: web[1], output: () => output });
    });
    process_.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    process_.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  repo = await exampleRepo('feast-edge-serve-ui-', { apply: true });
  ui = join(repo.dir, 'ui');
  await mkdir(join(ui, 'assets'), { recursive: true });
  await writeFile(join(ui, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(ui, 'assets', 'app-1234.js'), 'console.log(1)');
  await writeFile(join(ui, 'engine.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  // A file named like a route: the route must win.
  await writeFile(join(ui, 'health'), 'not the health route');
  await writeFile(join(repo.dir, 'secret.txt'), 'outside the ui folder');
  const started = await spawnServer(['--repo', repo.repo, 'serve', '--port', '0', '--ui', ui, '--ui-port', '0']);
  ({ child, url } = started);
  api = started.api!;
});
afterAll(async () => {
  if (child) await stop(child);
  await repo?.remove();
});

describe('feast-edge serve --ui', () => {
  it('serves the API and the web app on two ports: the app beside the API routes, the API port without the files', async () => {
    expect(new URL(url).port).not.toBe(new URL(api).port);
    const apiRoot = await fetch(`${api}/`);
    expect(apiRoot.status).toBe(404);
    expect(await apiRoot.json()).toEqual({ detail: 'Not Found' });
    expect((await fetch(`${api}/health`)).status).toBe(200);
    expect(await (await fetch(`${url}/`)).text()).toContain('<title>app</title>');
    // The documented defaults: the API on Feast's 6566, the app on 8888 as `feast ui`.
    const help = (await cli(['serve', '--help'])).stdout;
    expect(help).toMatch(/-p, --port <port>\s+TCP port of the API[\s\S]*?\(default:\s+6566\)/);
    expect(help).toMatch(/--ui-port <port>\s+TCP port of the web app[\s\S]*?\(default:\s+8888\)/);
  });

  it("serves the folder's index.html at / and its files with their content types", async () => {
    const index = await fetch(`${url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>app</title>');

    const asset = await fetch(`${url}/assets/app-1234.js`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(await asset.text()).toBe('console.log(1)');

    const wasm = await fetch(`${url}/engine.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));

    const head = await fetch(`${url}/index.html`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String('<!doctype html><title>app</title>'.length));
  });

  it("keeps the feature server's routes first and answers unknown paths with its JSON 404 (Feast's)", async () => {
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).not.toContain('not the health route');

    const online = await fetch(`${url}/get-online-features`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1001] } }),
    });
    expect(online.status).toBe(200);
    expect(((await online.json()) as { metadata: { feature_names: string[] } }).metadata.feature_names).toEqual(['driver_id', 'conv_rate']);

    const missing = await fetch(`${url}/no-such-file.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'Not Found' });
  });

  it('serves nothing outside the folder', async () => {
    for (const path of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/%2e%2e/%2e%2e/secret.txt']) {
      const response = await fetch(`${url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('outside the ui folder');
    }
  });

  it('refuses a --ui that is not a folder, naming it, and documents the option', async () => {
    const missing = join(repo.dir, 'no-such-dir');
    const refused = await cli(['--repo', repo.repo, 'serve', '--port', '0', '--ui', missing]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${missing} is not a folder`);
    const help = await cli(['serve', '--help']);
    expect(help.stdout).toMatch(/--ui <dir>\s+also serve the files of <dir>/);
  });
});

describe('feast-edge ui', () => {
  it("serves a web app and the repo's feature-server routes at one origin, as feast ui does", async () => {
    const started = await spawnServer(['--repo', repo.repo, 'ui', '--port', '0', '--dir', ui]);
    try {
      expect(started.output()).toContain(`Web app from ${ui} at ${started.url}/`);
      expect(await (await fetch(`${started.url}/`)).text()).toContain('<title>app</title>');
      const online = await fetch(`${started.url}/get-online-features`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1001] } }),
      });
      expect(online.status).toBe(200);
    } finally {
      await stop(started.child);
    }
    const help = (await cli(['ui', '--help'])).stdout;
    expect(help).toMatch(/-p, --port <port>\s+TCP port, for browsers[\s\S]*?\(default:\s+8888\)/);
    expect(help).toMatch(/--host <host>[\s\S]*?\(default:\s+"127.0.0.1"\)/);
  });

  it('refuses a missing --dir, naming it', async () => {
    const missing = join(repo.dir, 'no-app');
    const refused = await cli(['--repo', repo.repo, 'ui', '--port', '0', '--dir', missing]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${missing} is not a folder`);
  });
});
