import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cli, exampleRepo } from './built-cli.js';

let repo: Awaited<ReturnType<typeof exampleRepo>>;
let ui: string;
let child: ChildProcess;
let url: string;

/** Spawns `serve --ui <dir>` on a free port; resolves with its URL once printed. */
function serveWithUi(repoPath: string, dir: string): Promise<{ child: ChildProcess; url: string }> {
  const process_ = spawn(process.execPath, [CLI, '--repo', repoPath, 'serve', '--port', '0', '--ui', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    process_.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(/ at (http:\/\/\S+) /);
      if (found) resolve({ child: process_, url: found[1] });
    });
    process_.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    process_.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
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
  ({ child, url } = await serveWithUi(repo.repo, ui));
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await repo?.remove();
});

describe('feast-edge serve --ui', () => {
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
