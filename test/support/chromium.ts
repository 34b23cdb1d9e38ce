/**
 * Runs browser code in the system Chromium: bundles TS entry modules with Vite, serves
 * them from a local http origin (IndexedDB, Service Workers and storage need a real
 * origin, not about:blank) and drives pages through playwright-core. No test-runner
 * import, so benchmarks use it too. Never downloads a browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { systemBinary } from './system-binary.js';

const REPO = resolve(import.meta.dirname, '..', '..');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.html': 'text/html', '.json': 'application/json',
  '.wasm': 'application/wasm', '.css': 'text/css', '.map': 'application/json', '.arrow': 'application/vnd.apache.arrow.file',
};

export interface ChromiumOptions {
  /** Browser entry modules, by name: each is bundled to `/<name>.js` and gets a page `/<name>.html`. Paths are relative to the repo root. */
  readonly entries: Readonly<Record<string, string>>;
  /** Extra files to serve, by URL path (`/data/x.parquet`): contents, or a file path to read. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** Serve with COOP/COEP so pages are cross-origin isolated: SharedArrayBuffer, and a 5 µs performance.now() instead of 100 µs. */
  readonly crossOriginIsolated?: boolean;
}

export interface ChromiumHarness {
  /** `http://127.0.0.1:<port>`: the origin the pages live on. */
  readonly origin: string;
  readonly browser: Browser;
  /** Opens `/<entry>.html` in a page (of `context`, default a fresh one) once the entry module has finished loading. */
  openPage(entry: string, context?: BrowserContext): Promise<Page>;
  /** Reloads a page and waits for its entry module again. */
  reload(page: Page): Promise<void>;
  /** Closes the browser, stops the server and removes the bundle. */
  close(): Promise<void>;
}

/** The system Chromium, or undefined (one skip line) when it is missing and CI is not set. */
export function findChromium(): string | undefined {
  return systemBinary('chromium', 'chromium', ['/usr/bin/chromium']);
}

/** Calls `globalThis[name](...args)` inside the page; the entry module puts what tests call there. */
export function callInPage<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(async ([fn, params]) => {
    const target = (globalThis as unknown as Record<string, (...a: unknown[]) => unknown>)[fn as string];
    if (typeof target !== 'function') throw new Error(`the page defines no function '${String(fn)}'`);
    return target(...(params as unknown[]));
  }, [name, args] as const) as Promise<T>;
}

/** Bundles entries for the browser into `outDir` (ES modules, shared chunks beside them). */
export async function bundleForBrowser(entries: Readonly<Record<string, string>>, outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: REPO,
    logLevel: 'warn',
    publicDir: false,
    // Library mode leaves this in place; a page has no `process`.
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'es2022',
      reportCompressedSize: false,
      copyPublicDir: false,
      lib: { entry: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, resolve(REPO, path)])), formats: ['es'] },
    },
  });
}

function page(entry: string): string {
  // The dynamic import reports both a finished module (after any top-level await) and a failure.
  return `<!doctype html><meta charset="utf-8"><title>${entry}</title>
<script type="module">
import('/${entry}.js').then(() => { globalThis.__entryLoaded = true; }, (e) => { globalThis.__entryError = String(e && e.stack || e); });
</script>`;
}

function serve(dir: string, entries: readonly string[], files: Readonly<Record<string, string | Uint8Array>>, isolated: boolean): Promise<Server> {
  const isolation = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    const entry = entries.find((e) => path === `/${e}.html`);
    try {
      let body: string | Uint8Array;
      if (entry) body = page(entry);
      else if (path in files) { const f = files[path]; body = typeof f === 'string' ? await readFile(f) : f; }
      else {
        const file = normalize(join(dir, path));
        if (!file.startsWith(dir)) throw new Error('outside the bundle');
        body = await readFile(file);
      }
      res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-store', ...isolation });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok, fail) => { server.once('error', fail); server.listen(0, '127.0.0.1', () => ok(server)); });
}

/**
 * Bundles `entries`, serves them and launches Chromium; undefined when Chromium is
 * missing (run by hand) so the caller skips. Under CI=true a missing Chromium throws.
 * @example
 * const harness = await startChromium({ entries: { contract: 'test/online/browser/indexeddb-contract.entry.ts' } });
 * const page = await harness!.openPage('contract');
 * const outcomes = await callInPage(page, 'runContract');
 */
export async function startChromium(options: ChromiumOptions): Promise<ChromiumHarness | undefined> {
  const executablePath = findChromium();
  if (!executablePath) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-chromium-'));
  let server: Server | undefined;
  let browser: Browser | undefined;
  try {
    await bundleForBrowser(options.entries, dir);
    server = await serve(dir, Object.keys(options.entries), options.files ?? {}, options.crossOriginIsolated ?? false);
    browser = await chromium.launch({ executablePath, args: ARGS, headless: true });
  } catch (error) {
    await browser?.close();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const openBrowser = browser;
  const openServer = server;

  async function ready(p: Page, entry: string): Promise<void> {
    await p.waitForFunction(() => (globalThis as Record<string, unknown>).__entryLoaded || (globalThis as Record<string, unknown>).__entryError);
    const error = await p.evaluate(() => (globalThis as Record<string, unknown>).__entryError as string | undefined);
    if (error) throw new Error(`the browser entry '${entry}' failed to load: ${error}`);
  }

  return {
    origin,
    browser: openBrowser,
    async openPage(entry, context) {
      if (!(entry in options.entries)) throw new Error(`no entry '${entry}'; the entries are ${Object.keys(options.entries).join(', ')}`);
      const p = await (context ?? (await openBrowser.newContext())).newPage();
      await p.goto(`${origin}/${entry}.html`);
      await ready(p, entry);
      return p;
    },
    async reload(p) {
      const entry = new URL(p.url()).pathname.replace(/^\/|\.html$/g, '');
      await p.reload();
      await ready(p, entry);
    },
    async close() {
      await openBrowser.close();
      await new Promise((ok) => openServer.close(ok));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
