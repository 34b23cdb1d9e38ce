/**
 * Issue 13, finding 1: no port a browser is pointed at may be on the Fetch standard's
 * bad-port list (./bad-ports.ts). 6566, Feast's feature-server port, stays the API's (curl,
 * Feast's SDK, the Deno and Node servers' default); the web app is served on 8888, as
 * `feast ui` does, and the README never tells a person to open a blocked port.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfigFromFile } from 'vite';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale, cli, ROOT } from '../cli/built-cli.js';
import { FETCH_BAD_PORTS, portOf } from './bad-ports.js';

/** Feast's feature-server routes: a URL with one of these paths is for an API client, not a browser. */
const API_ROUTES = ['/get-online-features', '/push', '/write-to-online-store', '/materialize', '/materialize-incremental', '/health', '/registry', '/metrics'];

const defaultOf = (help: string, option: string): number => {
  const found = help.match(new RegExp(`${option} <port>[\\s\\S]*?\\(default:\\s+(\\d+)\\)`));
  if (!found) throw new Error(`no default for ${option} in:\n${help}`);
  return Number(found[1]);
};

describe('ports a browser is pointed at', () => {
  beforeAll(() => buildIfStale());

  it('the CLI defaults: the web app (ui, serve --ui-port) on an allowed port; 6566 only for the API', async () => {
    const ui = defaultOf((await cli(['ui', '--help'])).stdout, '-p, --port');
    const serve = (await cli(['serve', '--help'])).stdout;
    expect(ui).toBe(8888);
    expect(FETCH_BAD_PORTS.has(ui)).toBe(false);
    expect(FETCH_BAD_PORTS.has(defaultOf(serve, '--ui-port'))).toBe(false);
    // The API keeps Feast's port, and its help says who it is for.
    expect(defaultOf(serve, '-p, --port')).toBe(6566);
    expect(serve).toMatch(/--port <port>\s+TCP port of the API, for clients such as curl/);
  });

  it("npm start's web app default (scripts/start.mjs) is an allowed port", async () => {
    const script = await readFile(join(ROOT, 'scripts', 'start.mjs'), 'utf8');
    const uiPort = script.match(/process\.env\.UI_PORT \?\? '(\d+)'/);
    expect(uiPort, 'scripts/start.mjs sets the web app port from UI_PORT with a default').not.toBeNull();
    expect(FETCH_BAD_PORTS.has(Number(uiPort![1]))).toBe(false);
    expect(script).toMatch(/'--ui-port', uiPort/);
  });

  it('the README: every URL it says to open is on an allowed port; a blocked port appears only for API clients', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const urls = [...readme.matchAll(/https?:\/\/(?:127\.0\.0\.1|localhost|0\.0\.0\.0)(?::\d+)?[^\s)`'"]*/g)];
    expect(urls.length).toBeGreaterThan(0);
    for (const match of urls) {
      const url = match[0];
      const line = readme.slice(readme.lastIndexOf('\n', match.index) + 1, readme.indexOf('\n', match.index));
      const port = portOf(url);
      if (/\bopen\b|browser/i.test(line.replace(/curl .*$/, ''))) expect(FETCH_BAD_PORTS.has(port), `README opens ${url}: ${line}`).toBe(false);
      if (FETCH_BAD_PORTS.has(port)) {
        const forApi = line.includes('curl') || API_ROUTES.some((route) => new URL(url).pathname.startsWith(route));
        expect(forApi, `README shows ${url} (a port browsers refuse) outside an API call: ${line}`).toBe(true);
      }
    }
    // The first screen names the URL npm start prints.
    expect(readme.slice(0, 1500)).toContain('http://127.0.0.1:8888/');
  });

  it("the demo app's Vite config points no dev or preview server at a blocked port", async () => {
    const loaded = await loadConfigFromFile({ command: 'serve', mode: 'development' }, join(ROOT, 'demo', 'vite.config.ts'), ROOT, 'silent');
    // Vite's own defaults when the config sets none: 5173 (dev) and 4173 (preview).
    const dev = loaded?.config.server?.port ?? 5173;
    const preview = loaded?.config.preview?.port ?? 4173;
    expect(FETCH_BAD_PORTS.has(dev)).toBe(false);
    expect(FETCH_BAD_PORTS.has(preview)).toBe(false);
  });
});
