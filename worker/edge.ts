/**
 * The feature server as a module Worker for Cloudflare Workers (workerd): online store in
 * Workers KV (binding FEAST_ONLINE), registry bundled at build time from the module
 * aliased as `feast-edge-definitions` (see vite.edge.config.ts), options from variables.
 * Build: `npm run build:edge` -> dist-edge/edge.js.
 */
import type { ExecutionContext, Hono } from 'hono';
import * as repo from 'feast-edge-definitions';
import { CloudflareKvOnlineStore, type KvNamespaceBinding } from '../src/online/cloudflare-kv-online-store.js';
import { createEdgeApp, type EdgeVariables } from './edge-app.js';

/** The Worker's bindings: a KV namespace and plain-text variables or secrets. */
export interface EdgeEnv extends EdgeVariables {
  readonly FEAST_ONLINE: KvNamespaceBinding;
}

// Built on the first request (bindings only exist then) and kept for the isolate's life.
let app: Promise<Hono> | undefined;

function start(env: EdgeEnv): Promise<Hono> {
  if (!env?.FEAST_ONLINE) return Promise.reject(new Error('the Worker has no KV namespace bound as FEAST_ONLINE'));
  return createEdgeApp(repo as Record<string, unknown>, new CloudflareKvOnlineStore(env.FEAST_ONLINE), env);
}

export default {
  async fetch(request: Request, env: EdgeEnv, ctx?: ExecutionContext): Promise<Response> {
    let server: Hono;
    try {
      server = await (app ??= start(env).catch((error: unknown) => {
        app = undefined; // a failed start is retried by the next request
        throw error;
      }));
    } catch (error) {
      console.error(error);
      const message = error instanceof Error ? error.message : String(error);
      return Response.json({ type: 'FeatureServerStartupError', message, status_code: 503 }, { status: 503 });
    }
    return server.fetch(request, env, ctx);
  },
};
