import type { ExecutionContext, Hono } from 'hono';
import { createEdgeApp, type EdgeAppOptions, type EdgeVariables } from '../../server/edge-app.js';
import { CloudflareKvOnlineStore, type KvNamespaceBinding } from './cloudflare-kv-online-store.js';

/** The Worker's bindings: a KV namespace and plain-text variables or secrets. */
export interface EdgeEnv extends EdgeVariables {
  readonly FEAST_ONLINE: KvNamespaceBinding;
}

/** A module Worker's default export. */
export interface CloudflareWorker {
  fetch(request: Request, env: EdgeEnv, ctx?: ExecutionContext): Promise<Response>;
}

/**
 * The feature server as a module Worker for Cloudflare Workers (workerd): online store
 * in Workers KV (binding FEAST_ONLINE), registry from the repo's definitions (or
 * `options.registry`, a registry document served as it is), options from variables
 * (see EdgeVariables).
 * @example import * as repo from './feature_repo/definitions';
 *          export default cloudflareWorker(repo);
 * @example import registry from './registry.json'; // Feast's registry.db, converted at build time
 *          export default cloudflareWorker({}, { registry });
 */
export function cloudflareWorker(repo: Record<string, unknown>, options: EdgeAppOptions = {}): CloudflareWorker {
  // Built on the first request (bindings only exist then) and kept for the isolate's life.
  let app: Promise<Hono> | undefined;
  const start = (env: EdgeEnv): Promise<Hono> => {
    if (!env?.FEAST_ONLINE) return Promise.reject(new Error('the Worker has no KV namespace bound as FEAST_ONLINE'));
    return createEdgeApp(repo, new CloudflareKvOnlineStore(env.FEAST_ONLINE), env, options);
  };
  return {
    async fetch(request, env, ctx) {
      let server: Hono;
      try {
        server = await (app ??= start(env).catch((error: unknown) => {
          app = undefined; // a failed start is retried by the next request
          throw error;
        }));
      } catch (error) {
        console.error(error);
        const message = error instanceof Error ? error.message : String(error);
        // The message as a JSON string, as the feature server answers failures that are not Feast's exceptions.
        return Response.json(message, { status: 503, headers: { 'x-feast-edge-error': 'FeatureServerStartupError' } });
      }
      return server.fetch(request, env, ctx);
    },
  };
}
