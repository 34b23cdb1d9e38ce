import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import * as v from 'valibot';
import type { FeatureStore } from '../store/feature-store.js';
import { AuthenticationError, PermissionDeniedError, RequestValidationError } from '../errors.js';
import { errorBody, statusOf } from './http-errors.js';
import { ServerMetrics } from './metrics.js';
import {
  describeIssue, getOnlineFeaturesBody, materializeBody, materializeIncrementalBody, pushBody, writeToOnlineStoreBody,
} from './request-schemas.js';

export interface FeatureServerOptions {
  /** Origins allowed to call from a browser (CORS); none by default. `'*'` allows any. */
  readonly corsOrigins?: readonly string[] | '*';
  /** Bearer tokens: `read` for reads (online features, registry, metrics), `write` for push, writes and materialization (it also reads). None: no auth. */
  readonly auth?: { readonly readToken?: string; readonly writeToken?: string };
  /** Largest request body in bytes (413 above it). Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** How long a registry document is reused before the version is checked again (Feast's registry_ttl_sec). Default 5 s. */
  readonly registryTtlSeconds?: number;
  /** Where server failures (5xx) are reported. Default console.error. */
  readonly onServerError?: (error: unknown) => void;
}

const WRITE_ROUTES = new Set(['/push', '/write-to-online-store', '/materialize', '/materialize-incremental']);

/** Equal strings in time that does not depend on where they differ. */
function sameToken(given: string, expected: string): boolean {
  let difference = given.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) difference |= (given.charCodeAt(i % (given.length || 1)) ^ expected.charCodeAt(i));
  return difference === 0;
}

async function readBody<T>(c: Context, schema: v.GenericSchema<unknown, T>): Promise<T> {
  const text = await c.req.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RequestValidationError(`body: expected JSON, got ${JSON.stringify(text.slice(0, 40))}${text.length > 40 ? '...' : ''}`);
  }
  const parsed = v.safeParse(schema, json);
  if (!parsed.success) throw new RequestValidationError(describeIssue(parsed.issues));
  return parsed.output;
}

/**
 * Feast's Python feature-server routes and JSON shapes over a FeatureStore, as a Hono
 * app: POST /get-online-features, /push, /write-to-online-store, /materialize,
 * /materialize-incremental; GET /health, /registry (the registry document), /metrics
 * (Prometheus). Bodies are checked first; bad input is a 4xx JSON error naming the
 * Feast exception and the field, never a 5xx.
 * @example Deno.serve(createFeatureServer(store).fetch)
 */
export function createFeatureServer(store: FeatureStore, options: FeatureServerOptions = {}): Hono {
  const app = new Hono();
  const metrics = new ServerMetrics();
  store.setRegistryCacheTtl((options.registryTtlSeconds ?? 5) * 1000);
  const reportServerError = options.onServerError ?? ((error: unknown) => console.error(error));

  app.onError((error, c) => {
    const body = errorBody(error);
    if (body.status_code >= 500 && body.status_code !== 501) reportServerError(error);
    return c.json(body, body.status_code as 400);
  });
  app.notFound((c) => c.json({ type: 'NotFound', message: `no route ${c.req.method} ${c.req.path}`, status_code: 404 }, 404));

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    metrics.record(c.req.routePath, c.req.method, c.res.status, (performance.now() - started) / 1000);
  });
  if (options.corsOrigins) {
    const origins = options.corsOrigins;
    app.use('*', cors({ origin: origins === '*' ? '*' : [...origins], allowHeaders: ['Content-Type', 'Authorization'], allowMethods: ['GET', 'POST', 'OPTIONS'] }));
  }
  if (options.auth?.readToken || options.auth?.writeToken) {
    const { readToken, writeToken } = options.auth;
    app.use('*', async (c, next) => {
      if (c.req.path === '/health' || c.req.method === 'OPTIONS') return next();
      const header = c.req.header('Authorization') ?? '';
      const token = header.startsWith('Bearer ') ? header.slice(7) : undefined;
      if (token === undefined) throw new AuthenticationError('Authorization: expected a Bearer token');
      const canWrite = writeToken !== undefined && sameToken(token, writeToken);
      const canRead = canWrite || (readToken !== undefined && sameToken(token, readToken)) || (readToken === undefined && writeToken === undefined);
      if (WRITE_ROUTES.has(c.req.path) ? !canWrite : !canRead) {
        throw new PermissionDeniedError(`${c.req.method} ${c.req.path}: the token does not allow ${WRITE_ROUTES.has(c.req.path) ? 'writes' : 'reads'}`);
      }
      return next();
    });
  }
  const maxSize = options.maxBodyBytes ?? 1_048_576;
  const tooLarge = (c: Context) => c.json({ type: 'RequestEntityTooLarge', message: `body: expected at most ${maxSize} bytes`, status_code: 413 }, 413);
  const limitStream = bodyLimit({ maxSize, onError: tooLarge });
  app.use('*', async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    // A declared length is checked as a number; only a streamed body (no Content-Length) is
    // counted while it is read, which costs a stream per request.
    const declared = c.req.header('Content-Length');
    if (declared !== undefined && /^\d+$/.test(declared)) return Number(declared) > maxSize ? tooLarge(c) : next();
    return limitStream(c, next);
  });

  app.post('/get-online-features', async (c) => {
    const body = await readBody(c, getOnlineFeaturesBody);
    const response = await store.getOnlineFeatures({
      ...(body.features ? { features: body.features } : { featureService: body.feature_service }),
      entityRows: body.entities,
      fullFeatureNames: body.full_feature_names ?? false,
    });
    return c.json(response.toWire());
  });
  app.post('/push', async (c) => {
    const body = await readBody(c, pushBody);
    // No `to`: the store's default (with stream views reading the source, online and offline).
    const result = await store.push(body.push_source_name, body.df, body.to ? { to: body.to } : {});
    // Feast answers null; a push feeding stream views also says how many events were late.
    if (Object.keys(result.lateByView).length === 0) return c.json(null);
    return c.json({ events: result.events, applied: result.applied, late: result.late, late_by_view: result.lateByView });
  });
  app.post('/write-to-online-store', async (c) => {
    const body = await readBody(c, writeToOnlineStoreBody);
    await store.writeToOnlineStore(body.feature_view_name, body.df);
    return c.json(null);
  });
  app.post('/materialize', async (c) => {
    const body = await readBody(c, materializeBody);
    await store.materialize({ start: toInstant(body.start_ts), end: toInstant(body.end_ts), ...(body.feature_views ? { featureViews: body.feature_views } : {}) });
    return c.json(null);
  });
  app.post('/materialize-incremental', async (c) => {
    const body = await readBody(c, materializeIncrementalBody);
    await store.materializeIncremental({ end: toInstant(body.end_ts), ...(body.feature_views ? { featureViews: body.feature_views } : {}) });
    return c.json(null);
  });
  app.get('/health', async (c) => {
    try {
      await store.registry.document();
      return c.json({ status: 'healthy' });
    } catch (error) {
      return c.json({ type: 'RegistryUnavailable', message: error instanceof Error ? error.message : String(error), status_code: 503 }, 503);
    }
  });
  app.get('/registry', async (c) => c.json(await store.registry.document()));
  app.get('/metrics', (c) => c.text(metrics.toPrometheus(), 200, { 'Content-Type': 'text/plain; version=0.0.4' }));
  return app;
}

/** Feast sends epoch seconds or ISO strings; the facade takes ISO strings and Dates. */
function toInstant(value: string | number): string | Date {
  return typeof value === 'number' ? new Date(value * 1000) : value;
}

export { statusOf };
