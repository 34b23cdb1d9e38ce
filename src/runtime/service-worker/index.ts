/** feast-edge/service-worker: Feast's feature-server routes answered by a Service Worker from IndexedDB. */
export {
  createServiceWorkerHandler,
  FEATURE_SERVER_ROUTES,
  type ServiceWorkerHandler,
  type ServiceWorkerHandlerOptions,
} from './service-worker-handler.js';
export type { ServiceWorkerScope, FetchEvent, ExtendableEvent } from './service-worker-scope.js';
