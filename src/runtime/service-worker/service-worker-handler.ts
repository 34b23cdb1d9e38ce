/**
 * The feature server inside a Service Worker: Feast's HTTP routes answered in the browser
 * from IndexedDB, so a page (or any library that speaks Feast's wire format) keeps reading
 * and writing features with the network gone. targets/service-worker.ts wires it to the
 * worker's events; an app with its own Service Worker calls it from its own listeners.
 */
import type { FeastObject } from '../../definitions/index.js';
import { IndexedDbOnlineStore, type IndexedDbOnlineStoreOptions } from '../browser/indexeddb/indexeddb-online-store.js';
import { MemoryRegistryStore } from '../../registry/memory-store.js';
import { createFeatureServer, type FeatureServerOptions } from '../../server/feature-server.js';
import { createFeatureStore, type FeatureStore } from '../../store/feature-store.js';

/** The feature server's routes (createFeatureServer); materialization answers the facade's no-engine error. */
export const FEATURE_SERVER_ROUTES: readonly string[] = [
  '/get-online-features',
  '/push',
  '/write-to-online-store',
  '/materialize',
  '/materialize-incremental',
  '/health',
  '/registry',
  '/metrics',
  '/v1/vector_stores',
];

export interface ServiceWorkerHandlerOptions {
  /** The feature repo's objects (on-demand transforms are code, so they come from here, not from a stored registry). */
  readonly definitions: readonly FeastObject[];
  readonly project: string;
  /**
   * Where the routes live on the origin, e.g. `/feast` for `/feast/get-online-features`.
   * Default '' (the root): only the routes themselves are answered and every other path
   * is the app's. Under a prefix every path below it is the feature server's (an unknown
   * one is Feast's JSON 404).
   */
  readonly routesPrefix?: string;
  /** The IndexedDB database the online store keeps rows in (default 'feast-edge-online'): pages of the origin may open it too. */
  readonly databaseName?: string;
  readonly onlineStoreOptions?: IndexedDbOnlineStoreOptions;
  readonly serverOptions?: FeatureServerOptions;
  /** Requests that are not the feature server's are answered from this Cache Storage cache when it holds them, else by the network. None: the browser fetches them as if there were no worker. */
  readonly cacheName?: string;
  /** URLs put into `cacheName` on install (the app shell), so the app also loads offline. */
  readonly precache?: readonly string[];
  /** The origin the worker serves; default the worker's own. Requests to other origins always pass through. */
  readonly origin?: string;
}

export interface ServiceWorkerHandler {
  /** The answer to a fetch event's request, or undefined to let the browser fetch it as usual. */
  respond(request: Request): Promise<Response> | undefined;
  /** For the install event: fills the precache. */
  install(): Promise<void>;
  /** For the activate event (and on first use after the browser restarts the worker): opens IndexedDB and applies the definitions. */
  activate(): Promise<void>;
  /** The store behind the routes, once activated. */
  store(): Promise<FeatureStore>;
}

/**
 * A Service Worker's feature server over IndexedDB, with a registry made from the
 * definitions in memory (the browser stops idle workers; each start applies them again).
 * @example
 * const handler = createServiceWorkerHandler({ definitions: [driver, driverStats], project: 'demo' });
 * self.addEventListener('fetch', (event) => { const answer = handler.respond(event.request); if (answer) event.respondWith(answer); });
 */
export function createServiceWorkerHandler(options: ServiceWorkerHandlerOptions): ServiceWorkerHandler {
  const prefix = (options.routesPrefix ?? '').replace(/\/+$/, '');
  if (prefix !== '' && !prefix.startsWith('/')) throw new Error(`routesPrefix: expected a path starting with '/', got ${JSON.stringify(options.routesPrefix)}`);
  const routes = new Set(FEATURE_SERVER_ROUTES);
  let started: Promise<{ store: FeatureStore; fetch: (request: Request) => Promise<Response> }> | undefined;

  function start() {
    started ??= (async () => {
      const onlineStore = await IndexedDbOnlineStore.open(options.databaseName, options.onlineStoreOptions);
      const store = createFeatureStore({ project: options.project, registry: new MemoryRegistryStore(), definitions: options.definitions, onlineStore });
      await store.apply(options.definitions);
      const app = createFeatureServer(store, options.serverOptions);
      return { store, fetch: async (request: Request) => app.fetch(request) };
    })();
    // A failed start (IndexedDB refused, a bad definition) is tried again by the next request.
    started.catch(() => {
      started = undefined;
    });
    return started;
  }

  /** The path the feature server sees, or undefined when the request is not its. */
  function routePath(url: URL): string | undefined {
    if (url.origin !== (options.origin ?? globalThis.location?.origin)) return undefined;
    if (prefix === '') return routes.has(url.pathname) ? url.pathname : undefined;
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return undefined;
    return url.pathname.slice(prefix.length) || '/';
  }

  async function serve(request: Request, path: string): Promise<Response> {
    let server: Awaited<ReturnType<typeof start>>;
    try {
      server = await start();
    } catch (error) {
      // The message as a JSON string, as the feature server answers failures that are not Feast's exceptions.
      return Response.json(`the Service Worker's feature store did not start: ${error instanceof Error ? error.message : String(error)}`, {
        status: 503,
        headers: { 'x-feast-edge-error': 'FeatureServerUnavailable' },
      });
    }
    if (prefix === '') return server.fetch(request);
    // Bodies are small (the server refuses over 1 MiB) and a streamed body needs duplex support.
    const url = new URL(request.url);
    url.pathname = path;
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    return server.fetch(new Request(url, { method: request.method, headers: request.headers, body }));
  }

  async function passThrough(request: Request, cacheName: string): Promise<Response> {
    const cached = await (await caches.open(cacheName)).match(request);
    return cached ?? fetch(request);
  }

  return {
    respond(request) {
      const path = routePath(new URL(request.url));
      if (path !== undefined) return serve(request, path);
      return options.cacheName === undefined ? undefined : passThrough(request, options.cacheName);
    },
    async install() {
      if (options.cacheName !== undefined && options.precache?.length) await (await caches.open(options.cacheName)).addAll([...options.precache]);
    },
    async activate() {
      await start();
    },
    async store() {
      return (await start()).store;
    },
  };
}
