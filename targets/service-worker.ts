/**
 * The feature server as a Service Worker, registered at the origin's root scope:
 * `navigator.serviceWorker.register('/service-worker.js')`. The feature repo is the module
 * the bundler resolves `feast-edge-definitions` to (a Vite alias; the tests use the wire
 * fixture): the feast objects it exports, directly or in arrays, as `feast-edge apply`
 * reads a repo. The script URL's query sets the rest: `project` (default the name of the
 * repo's `project()` export) and `routes` (`?routes=/feast` serves /feast/get-online-features;
 * default the root). Requests that are not the feature server's are answered from the
 * 'feast-edge-shell' cache when the app put them there, else by the network.
 */
import * as repo from 'feast-edge-definitions';
import { collectDefinitions } from '../src/definitions/collect-definitions.js';
import { createServiceWorkerHandler } from '../src/runtime/service-worker/service-worker-handler.js';
import type { ServiceWorkerScope } from '../src/runtime/service-worker/service-worker-scope.js';

const worker = globalThis as unknown as ServiceWorkerScope;

const definitions = collectDefinitions(repo as Record<string, unknown>);
const query = new URL(worker.location.href).searchParams;
const project = query.get('project') || definitions.find((o) => o.kind === 'project')?.name;
if (!project) throw new Error('the Service Worker has no project: add ?project=<name> to its script URL, or export a project() from feast-edge-definitions');

const handler = createServiceWorkerHandler({ definitions, project, routesPrefix: query.get('routes') ?? '', cacheName: 'feast-edge-shell' });

// A new worker takes over at once and claims open pages, so the first load is served too.
worker.addEventListener('install', (event) => event.waitUntil(handler.install().then(() => worker.skipWaiting())));
// A store that fails to start is reported here and tried again by the first request (a 503 naming the cause if it fails again).
worker.addEventListener('activate', (event) =>
  event.waitUntil(Promise.all([handler.activate().catch((error: unknown) => console.error(error)), worker.clients.claim()])),
);
worker.addEventListener('fetch', (event) => {
  const answer = handler.respond(event.request);
  if (answer) event.respondWith(answer);
});
