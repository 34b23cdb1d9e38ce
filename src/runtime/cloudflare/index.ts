/** feast-edge/cloudflare: Cloudflare Workers (workerd): the Workers KV online store and the module Worker. */
export { CloudflareKvOnlineStore, type KvNamespaceBinding } from './cloudflare-kv-online-store.js';
export { cloudflareWorker, type CloudflareWorker, type EdgeEnv } from './cloudflare-worker.js';
