/**
 * Browser side of test/server/service-worker.chromium.test.ts: registers the feature-server
 * Service Worker, keeps this page in its shell cache (so a reload works offline) and runs
 * the wire cases through the page's own fetch.
 */
import { runWireCases, type WireOutcome } from '../wire-cases.js';

const SHELL_CACHE = 'feast-edge-shell';

const api = {
  /** Registers `script` at the root scope and resolves once it controls this page. */
  async registerFeatureWorker(script: string): Promise<void> {
    await navigator.serviceWorker.register(script, { scope: '/' });
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
    await (await caches.open(SHELL_CACHE)).addAll([location.pathname, location.pathname.replace(/\.html$/, '.js')]);
  },
  controlledBy(): string | null {
    return navigator.serviceWorker.controller?.scriptURL ?? null;
  },
  runWire(routesPrefix: string): Promise<WireOutcome[]> {
    return runWireCases((request) => fetch(request), location.origin + routesPrefix);
  },
  /** One GET through the page's fetch: status and body text. */
  async get(path: string): Promise<{ status: number; text: string }> {
    const response = await fetch(path);
    return { status: response.status, text: await response.text() };
  },
  /** One POST through the page's fetch: status and JSON, or the fetch's failure. */
  async post(path: string, body: unknown): Promise<{ status: number; json: unknown } | { error: string }> {
    try {
      const response = await fetch(path, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
      return { status: response.status, json: await response.json() };
    } catch (error) {
      return { error: String(error) };
    }
  },
};

Object.assign(globalThis, api);
