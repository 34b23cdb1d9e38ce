/**
 * Runs the built demo app as users do: `feast-edge serve --ui <built app>` over an example
 * repo, and the system Chromium (never a downloaded one) pointed at its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildDemo } from '../../demo/build/build-demo.js';
import { CLI, exampleRepo } from '../cli/built-cli.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Launches the system Chromium headless with the flags every browser test uses. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: ARGS, headless: true });
}

export interface ServedDemo {
  /** `http://127.0.0.1:<port>`, the web app's origin: the app is at `/`, the feature server's routes beside it. */
  readonly url: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Stops the server (SIGTERM) and resolves when it has exited: the browser then sees the network gone. */
  stop(): Promise<void>;
}

/**
 * Starts the built CLI's `serve --ui <ui>` over `repo`; resolves once it prints its URL.
 * `port` (default any free one) is tried first, then any free port if it is taken: pages
 * that show their origin look the same in every run on the port asked for.
 */
export async function serveDemo(repo: string, ui: string, options: { port?: number } = {}): Promise<ServedDemo> {
  if (options.port) {
    try {
      return await serveOn(repo, ui, options.port);
    } catch {
      // Taken (another run on this machine): any port will do.
    }
  }
  return serveOn(repo, ui, 0);
}

function serveOn(repo: string, ui: string, port: number): Promise<ServedDemo> {
  const child: ChildProcess = spawn(process.execPath, [CLI, '--repo', repo, 'serve', '--port', '0', '--ui', ui, '--ui-port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(/Web app from .* at (http:\/\/\S+)\/ /);
      if (found) {
        resolve({
          url: found[1],
          output: () => output,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then(() => reject(new Error(`serve exited before printing its URL: ${output}`)));
  });
}

/** The README's screenshots (docs/screenshots), overwritten by the demo's e2e tests. */
export const README_SCREENSHOTS = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/**
 * Whether two PNGs draw the same picture: same size, and no channel of any pixel apart by
 * more than a few units (Chromium's anti-aliasing of a rounded corner varies by one unit
 * between runs). Decoded by the page's own canvas.
 */
async function sameDrawing(page: Page, a: Uint8Array, b: Uint8Array): Promise<boolean> {
  const urls = [a, b].map((png) => `data:image/png;base64,${Buffer.from(png).toString('base64')}`);
  return page.evaluate(async ([first, second]) => {
    const pixels = async (src: string) => {
      const image = new Image();
      image.src = src;
      await image.decode();
      const canvas = new OffscreenCanvas(image.width, image.height);
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      return { width: image.width, height: image.height, data: context.getImageData(0, 0, image.width, image.height).data };
    };
    const [x, y] = [await pixels(first), await pixels(second)];
    if (x.width !== y.width || x.height !== y.height) return false;
    for (let i = 0; i < x.data.length; i++) if (Math.abs(x.data[i] - y.data[i]) > 8) return false;
    return true;
  }, urls);
}

/**
 * Writes docs/screenshots/<name>.png and returns its size in bytes: the page laid out as
 * on a 1280×900 window, drawn at 80 % (1024×720 pixels) to keep the file small; elements
 * of class "volatile" (timings, registry times) left out, once the Service Worker
 * controls the page and every line asking a server has its answer, so the same data
 * draws the same picture in every run (a file that draws the same is left as it is).
 * `scrollTo` brings an element's end into view first.
 */
export async function shootForReadme(page: Page, name: string, options: { scrollTo?: string } = {}): Promise<number> {
  await mkdir(README_SCREENSHOTS, { recursive: true });
  const path = join(README_SCREENSHOTS, `${name}.png`);
  const viewport = page.viewportSize();
  // The header says whether the app works offline yet.
  await page.waitForFunction(() => document.body.dataset.offline === 'offline-ready', undefined, { timeout: 60_000 });
  const style = await page.addStyleTag({ content: 'html { zoom: 0.8 } .volatile { display: none !important; }' });
  let shot: Uint8Array;
  try {
    await page.setViewportSize({ width: 1024, height: 720 });
    if (options.scrollTo) await page.locator(options.scrollTo).evaluate((element) => element.scrollIntoView({ block: 'end' }));
    else await page.evaluate(() => window.scrollTo(0, 0));
    // No hover or focus ring on the last control used.
    await page.mouse.move(0, 0);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // Lines still asking a server (data-state="loading") would differ from run to run.
    await page.waitForFunction(() => document.querySelector('[data-state="loading"]') === null, undefined, { timeout: 30_000 });
    await page.evaluate(() => document.fonts.ready);
    shot = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  } finally {
    await style.evaluate((element) => (element as HTMLElement).remove());
    if (viewport) await page.setViewportSize(viewport);
  }
  const before = await readFile(path).catch(() => undefined);
  if (!before || !(await sameDrawing(page, before, shot))) await writeFile(path, shot);
  return (await stat(path)).size;
}

export interface StartedDemo {
  /** The example repo (`feast-edge init`, applied) the server serves; `repo.repo` is its folder. */
  readonly repo: Awaited<ReturnType<typeof exampleRepo>>;
  readonly served: ServedDemo;
  readonly browser: Browser;
  /** Stops the browser and the server, removes the repo and the build. */
  close(): Promise<void>;
}

/**
 * What each demo suite starts from: the example repo made by the built CLI and applied,
 * the demo built into a temporary folder, `serve --ui` over both (on `port` when it is
 * free), and the system Chromium.
 */
export async function startDemo(prefix: string, chromiumPath: string, options: { port?: number } = {}): Promise<StartedDemo> {
  const repo = await exampleRepo(prefix, { apply: true });
  const buildDir = await mkdtemp(join(tmpdir(), `${prefix}dist-`));
  await buildDemo({ outDir: buildDir });
  const served = await serveDemo(repo.repo, buildDir, options);
  const browser = await launchChromium(chromiumPath);
  return {
    repo,
    served,
    browser,
    async close() {
      await browser.close();
      await served.stop();
      await repo.remove();
      await rm(buildDir, { recursive: true, force: true });
    },
  };
}
