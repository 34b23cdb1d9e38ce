/**
 * Runs browser code in the system Chromium: bundles TS entry modules with Vite, serves
 * them from a local http origin (IndexedDB, Service Workers and storage need a real
 * origin, not about:blank) and drives pages through playwright-core. No test-runner
 * import, so benchmarks use it too. Never downloads a browser.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, normalize, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { systemBinary } from './system-binary.js';

const REPO = resolve(import.meta.dirname, '..', '..');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.map': 'application/json',
  '.arrow': 'application/vnd.apache.arrow.file',
};

export interface ChromiumOptions {
  /** Browser entry modules, by name: each is bundled to `/<name>.js` and gets a page `/<name>.html`. Paths are relative to the repo root. */
  readonly entries: Readonly<Record<string, string>>;
  /** Extra files to serve, by URL path (`/data/x.parquet`): contents, or a file path to read. */
  readonly files?: Readonly<Record<string, string | Uint8Array>>;
  /** Serve with COOP/COEP so pages are cross-origin isolated: SharedArrayBuffer, and a 5 µs performance.now() instead of 100 µs. */
  readonly crossOriginIsolated?: boolean;
  /**
   * Service Worker scripts, by URL path (`/service-worker.js`): each entry is bundled on its
   * own into one classic script (dynamic imports inlined: a Service Worker may not call
   * `import()`) and served with `Service-Worker-Allowed: /`, so it may control the root scope.
   */
  readonly serviceWorkers?: Readonly<Record<string, ServiceWorkerEntry>>;
  /**
   * Web Worker scripts, by URL path (`/workers/feature-store.js`): each entry is bundled on
   * its own as an ES module script (start it with `new Worker(path, { type: 'module' })`),
   * with Vite's app build, so `?url` imports (.wasm files) become files beside it instead
   * of data URLs. Dynamic imports become chunks in the same folder.
   */
  readonly webWorkers?: Readonly<Record<string, ServiceWorkerEntry>>;
}

/** One request the server answered, as the browser sent it. */
export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  /** The Range header, when the request had one. */
  readonly range?: string;
}

export interface ServiceWorkerEntry {
  /** The TS entry, relative to the repo root. */
  readonly entry: string;
  /** Vite `resolve.alias` for this bundle, targets relative to the repo root (`{ 'feast-edge-definitions': 'test/...' }`). */
  readonly alias?: Readonly<Record<string, string>>;
}

export interface ChromiumHarness {
  /** `http://127.0.0.1:<port>`: the origin the pages live on. */
  readonly origin: string;
  readonly browser: Browser;
  /** Opens `/<entry>.html` in a page (of `context`, default a fresh one) once the entry module has finished loading. */
  openPage(entry: string, context?: BrowserContext): Promise<Page>;
  /** Reloads a page and waits for its entry module again. */
  reload(page: Page): Promise<void>;
  /** Bytes of each bundled Service Worker script, by URL path. */
  readonly serviceWorkerBytes: Readonly<Record<string, number>>;
  /** Every request served so far, oldest first (cleared by `clearRequests`). */
  readonly requests: readonly ServedRequest[];
  clearRequests(): void;
  /** Takes the server down (every request, kept-alive ones included, fails as a network error) or back up. */
  setServerDown(down: boolean): void;
  /** Closes the browser, stops the server and removes the bundle. */
  close(): Promise<void>;
}

/** The system Chromium, or undefined (one skip line) when it is missing and CI is not set. */
export function findChromium(): string | undefined {
  return systemBinary('chromium', 'chromium', ['/usr/bin/chromium']);
}

/** Calls `globalThis[name](...args)` inside the page; the entry module puts what tests call there. */
export function callInPage<T>(page: Page, name: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    async ([fn, params]) => {
      const target = (globalThis as unknown as Record<string, (...a: unknown[]) => unknown>)[fn as string];
      if (typeof target !== 'function') throw new Error(`the page defines no function '${String(fn)}'`);
      return target(...(params as unknown[]));
    },
    [name, args] as const,
  ) as Promise<T>;
}

/** What every browser bundle shares: no config file, the repo as root, no public folder. */
const BROWSER_BUILD = {
  configFile: false,
  root: REPO,
  logLevel: 'warn',
  publicDir: false,
  // Library mode leaves this in place; a page has no `process`.
  define: { 'process.env.NODE_ENV': '"production"' },
} as const;

/** Bundles entries for the browser into `outDir` (ES modules, shared chunks beside them). */
export async function bundleForBrowser(entries: Readonly<Record<string, string>>, outDir: string): Promise<void> {
  await build({
    ...BROWSER_BUILD,
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

/** Bundles one Service Worker entry into `outFile`: a single classic script; returns its size in bytes. */
export async function bundleServiceWorker(worker: ServiceWorkerEntry, outFile: string): Promise<number> {
  const alias = Object.fromEntries(Object.entries(worker.alias ?? {}).map(([name, path]) => [name, resolve(REPO, path)]));
  await build({
    ...BROWSER_BUILD,
    resolve: { alias, conditions: ['worker', 'browser', 'import', 'module', 'default'] },
    build: {
      outDir: dirname(outFile),
      emptyOutDir: false,
      minify: false,
      target: 'es2022',
      reportCompressedSize: false,
      copyPublicDir: false,
      // An iife library is one file: Vite turns code splitting off, so dynamic imports are inlined.
      lib: { entry: resolve(REPO, worker.entry), formats: ['iife'], name: 'serviceWorker', fileName: () => basename(outFile) },
    },
  });
  return (await stat(outFile)).size;
}

/** Bundles one Web Worker entry as an ES module at `<outDir>/<fileName>`, its chunks and assets beside it, addressed under `base`. */
export async function bundleWebWorker(worker: ServiceWorkerEntry, outDir: string, fileName: string, base: string): Promise<void> {
  const alias = Object.fromEntries(Object.entries(worker.alias ?? {}).map(([name, path]) => [name, resolve(REPO, path)]));
  await build({
    ...BROWSER_BUILD,
    base,
    resolve: { alias, conditions: ['worker', 'browser', 'import', 'module', 'default'] },
    build: {
      outDir,
      emptyOutDir: false,
      minify: false,
      target: 'es2022',
      reportCompressedSize: false,
      copyPublicDir: false,
      // Files, not data URLs: a worker fetches DuckDB's and parquet-wasm's .wasm from the origin.
      assetsInlineLimit: 0,
      rollupOptions: {
        input: resolve(REPO, worker.entry),
        output: { format: 'es', entryFileNames: fileName, chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
      },
    },
  });
}

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` of a body of `size` bytes, or undefined when unsatisfiable or absent. */
function byteRange(header: string | undefined, size: number): { start: number; end: number } | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] === '' || m[2] === '' ? size - 1 : Math.min(size - 1, Number(m[2]));
  return start <= end && start < size ? { start, end } : undefined;
}

function page(entry: string): string {
  // The dynamic import reports both a finished module (after any top-level await) and a failure.
  return `<!doctype html><meta charset="utf-8"><title>${entry}</title>
<script type="module">
import('/${entry}.js').then(() => { globalThis.__entryLoaded = true; }, (e) => { globalThis.__entryError = String(e && e.stack || e); });
</script>`;
}

function serve(
  dir: string,
  entries: readonly string[],
  files: Readonly<Record<string, string | Uint8Array>>,
  isolated: boolean,
  workers: Readonly<Record<string, string>>,
  down: () => boolean,
  log: ServedRequest[],
): Promise<Server> {
  const isolation = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
  const server = createServer(async (req, res) => {
    // A dropped connection is what the browser sees when the network is gone.
    if (down()) {
      req.socket.destroy();
      return;
    }
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    log.push({ method: req.method ?? 'GET', path, ...(req.headers.range ? { range: req.headers.range } : {}) });
    const entry = entries.find((e) => path === `/${e}.html`);
    try {
      let body: string | Uint8Array;
      let extra: Record<string, string> = {};
      if (entry) body = page(entry);
      else if (path in workers) {
        body = await readFile(workers[path]);
        extra = { 'service-worker-allowed': '/' };
      } else if (path in files) {
        const f = files[path];
        body = typeof f === 'string' ? await readFile(f) : f;
      } else {
        const file = normalize(join(dir, path));
        if (!file.startsWith(dir)) throw new Error('outside the bundle');
        body = await readFile(file);
      }
      const headers = {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        'accept-ranges': 'bytes',
        ...isolation,
        ...extra,
      };
      const bytes = typeof body === 'string' ? Buffer.from(body) : body;
      // Range requests, as a static file server answers them: Parquet readers fetch the footer and column chunks only.
      const range = req.headers.range ? byteRange(req.headers.range, bytes.byteLength) : undefined;
      if (req.headers.range && !range) {
        res.writeHead(416, { 'content-range': `bytes */${bytes.byteLength}` }).end();
      } else if (range) {
        res.writeHead(206, {
          ...headers,
          'content-range': `bytes ${range.start}-${range.end}/${bytes.byteLength}`,
          'content-length': String(range.end - range.start + 1),
        });
        res.end(req.method === 'HEAD' ? undefined : bytes.subarray(range.start, range.end + 1));
      } else {
        res.writeHead(200, { ...headers, 'content-length': String(bytes.byteLength) });
        res.end(req.method === 'HEAD' ? undefined : bytes);
      }
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
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
  let down = false;
  const workerFiles: Record<string, string> = {};
  const serviceWorkerBytes: Record<string, number> = {};
  const log: ServedRequest[] = [];
  try {
    await bundleForBrowser(options.entries, dir);
    // After the pages: bundleForBrowser empties the directory it builds into.
    for (const [path, worker] of Object.entries(options.serviceWorkers ?? {})) {
      workerFiles[path] = join(dir, '__service-workers', `${Object.keys(workerFiles).length}.js`);
      serviceWorkerBytes[path] = await bundleServiceWorker(worker, workerFiles[path]);
    }
    for (const [path, worker] of Object.entries(options.webWorkers ?? {})) {
      // Served from the bundle directory at its own path, so its relative chunk imports resolve.
      const folder = dirname(path);
      await bundleWebWorker(worker, join(dir, folder), basename(path), folder.endsWith('/') ? folder : `${folder}/`);
    }
    server = await serve(dir, Object.keys(options.entries), options.files ?? {}, options.crossOriginIsolated ?? false, workerFiles, () => down, log);
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
    serviceWorkerBytes,
    requests: log,
    clearRequests() {
      log.length = 0;
    },
    setServerDown(value) {
      down = value;
      if (value) openServer.closeAllConnections();
    },
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
