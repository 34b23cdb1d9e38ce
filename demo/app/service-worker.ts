/**
 * The demo's Service Worker: precaches the built app (DuckDB's and Parquet's .wasm, the
 * example repo's data) so it loads with the network cut, and serves Feast's routes
 * (POST /get-online-features, ...) from the IndexedDB online store the page's worker
 * materializes into. Bundled online-only (build/online-only-plugin.ts): no Arrow or
 * DuckDB here; the page's Web Worker does the offline work.
 */
import * as repo from 'feast-edge-definitions';
import { collectDefinitions } from '../../src/definitions/collect-definitions.js';
import { createServiceWorkerHandler, FEATURE_SERVER_ROUTES } from '../../src/runtime/service-worker/service-worker-handler.js';
import { answerFromCache } from './cached-response.js';
import { ANSWER_FROM_HEADER, SERVED_BY_HEADER } from './served-by.js';
import type { ServiceWorkerScope } from '../../src/runtime/service-worker/service-worker-scope.js';

// Set by the build (demo/build/service-worker-plugin.ts).
declare const __DEMO_PRECACHE__: readonly string[];
declare const __DEMO_CACHE_NAME__: string;

const worker = globalThis as unknown as ServiceWorkerScope;

const definitions = collectDefinitions(repo as Record<string, unknown>);
const project = definitions.find((o) => o.kind === 'project')?.name;
if (!project) throw new Error('the example repo exports no project()');

const handler = createServiceWorkerHandler({ definitions, project, cacheName: __DEMO_CACHE_NAME__, precache: __DEMO_PRECACHE__ });
const routes = new Set(FEATURE_SERVER_ROUTES);

async function fromFeatureServer(answer: Promise<Response>): Promise<Response> {
  const response = await answer;
  const headers = new Headers(response.headers);
  headers.set(SERVED_BY_HEADER, 'service-worker');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** The app's files from the precache (ranges and HEAD included), else the network. */
async function fromCache(request: Request): Promise<Response> {
  const cache = await caches.open(__DEMO_CACHE_NAME__);
  const cached = await cache.match(request, { ignoreMethod: request.method === 'HEAD', ignoreSearch: false });
  const answer = cached && (await answerFromCache(cached, request));
  return answer ?? fetch(request);
}

worker.addEventListener('install', (event) => event.waitUntil(handler.install().then(() => worker.skipWaiting())));
worker.addEventListener('activate', (event) =>
  event.waitUntil(
    (async () => {
      // An older build's files would otherwise stay in Cache Storage for good.
      for (const name of await caches.keys()) if (name.startsWith('feast-edge-demo-') && name !== __DEMO_CACHE_NAME__) await caches.delete(name);
      await Promise.all([handler.activate().catch((error: unknown) => console.error(error)), worker.clients.claim()]);
    })(),
  ),
);
worker.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== worker.location.origin) return;
  if (routes.has(url.pathname)) {
    // The page asked for the server itself (the Online page reading "the server"): the network answers.
    if (event.request.headers.get(ANSWER_FROM_HEADER) === 'network') return;
    const answer = handler.respond(event.request);
    if (answer) event.respondWith(fromFeatureServer(answer));
    return;
  }
  if (event.request.method === 'GET' || event.request.method === 'HEAD') event.respondWith(fromCache(event.request));
});
