import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import * as v from 'valibot';
import type { FeatureStore } from '../store/feature-store.js';
import { AuthenticationError, ConfigurationError, PermissionDeniedError, RequestValidationError } from '../errors.js';
import { errorBody, statusOf } from './http-errors.js';
import { ServerMetrics } from './metrics.js';
import { describeIssue, getOnlineFeaturesBody, materializeBody, materializeIncrementalBody, pushBody, writeToOnlineStoreBody } from './request-schemas.js';

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

/** RFC 6750's b64token: the tokens a Bearer header can carry (Hono's bearerAuth refuses others). */
const BEARER_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;

/**
 * Hono's bearerAuth (a constant-time comparison) accepting `tokens`, answering as
 * feast-edge always has: 401 AuthenticationError without a Bearer token, 403
 * PermissionDeniedError with a token that does not allow `what`.
 */
function tokenAuth(tokens: readonly string[], what: 'reads' | 'writes'): MiddlewareHandler {
  const unauthenticated = (c: Context) => c.json(errorBody(new AuthenticationError('Authorization: expected a Bearer token')), 401);
  const denied = (c: Context) => c.json(errorBody(new PermissionDeniedError(`${c.req.method} ${c.req.path}: the token does not allow ${what}`)), 403);
  return bearerAuth({
    // No token allows writes when only a read token is set.
    ...(tokens.length > 0 ? { token: [...tokens] } : { verifyToken: () => false }),
    noAuthenticationHeader: { message: unauthenticated },
    invalidAuthenticationHeader: { message: unauthenticated },
    invalidToken: { message: denied },
  });
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
  // Per read, so servers with different ttls can share one store without changing it.
  const registryMaxAgeMs = (options.registryTtlSeconds ?? 5) * 1000;
  const reportServerError = options.onServerError ?? ((error: unknown) => console.error(error));

  app.onError((error, c) => {
    // Hono's middleware (bearerAuth) answers with the response it was given.
    if (error instanceof HTTPException) return error.getResponse();
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
    app.use(
      '*',
      cors({ origin: origins === '*' ? '*' : [...origins], allowHeaders: ['Content-Type', 'Authorization'], allowMethods: ['GET', 'POST', 'OPTIONS'] }),
    );
  }
  if (options.auth?.readToken || options.auth?.writeToken) {
    const { readToken, writeToken } = options.auth;
    for (const [key, token] of Object.entries({ readToken, writeToken })) {
      if (token && !BEARER_TOKEN.test(token)) {
        throw new ConfigurationError(
          `auth.${key}: expected a token of letters, digits and '-._~+/' (then any '='), as a Bearer header carries it (RFC 6750); the token given has other characters`,
        );
      }
    }
    const writeAuth = tokenAuth(writeToken ? [writeToken] : [], 'writes');
    const readAuth = tokenAuth(
      [readToken, writeToken].filter((token): token is string => !!token),
      'reads',
    );
    app.use('*', async (c, next) => {
      if (c.req.path === '/health' || c.req.method === 'OPTIONS') return next();
      return (WRITE_ROUTES.has(c.req.path) ? writeAuth : readAuth)(c, next);
    });
  }
  const maxSize = options.maxBodyBytes ?? 1_048_576;
  // A declared Content-Length is compared; a streamed body (chunked) is counted as it is read.
  app.use(
    '*',
    bodyLimit({
      maxSize,
      onError: (c) => c.json({ type: 'RequestEntityTooLarge', message: `body: expected at most ${maxSize} bytes`, status_code: 413 }, 413),
    }),
  );

  app.post('/get-online-features', async (c) => {
    const body = await readBody(c, getOnlineFeaturesBody);
    const response = await store.getOnlineFeatures(
      {
        ...(body.features ? { features: body.features } : { featureService: body.feature_service }),
        entityRows: body.entities,
        fullFeatureNames: body.full_feature_names ?? false,
      },
      { registryMaxAgeMs },
    );
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
    await store.materialize({
      start: toInstant(body.start_ts),
      end: toInstant(body.end_ts),
      ...(body.feature_views ? { featureViews: body.feature_views } : {}),
    });
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
