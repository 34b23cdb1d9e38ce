import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import type { FeatureStore } from '../store/feature-store.js';
import { ConfigurationError, FeastObjectNotFoundException, PermissionDeniedError, RequestValidationError } from '../errors.js';
import { errorAnswer, errorResponse, statusOf } from './http-errors.js';
import { healthAnswer } from './health.js';
import { materializeRoutes } from './materialize-routes.js';
import { ServerMetrics } from './metrics.js';
import { fastOnlineFeaturesBody, type GetOnlineFeaturesBody } from './fast-request.js';
import { readModel } from './request-body.js';
import { getOnlineFeaturesModel, pushModel, writeToOnlineStoreModel } from './request-models.js';
import { remoteClientColumns } from './remote-client-columns.js';
import { allowedMethods, noRoute } from './route-table.js';
import { entryOf, streamViewsOf } from '../registry/document.js';
import { entityColumns } from '../online/entity-rows.js';

export interface FeatureServerOptions {
  /** Origins allowed to call from a browser (CORS); none by default. `'*'` allows any. */
  readonly corsOrigins?: readonly string[] | '*';
  /** Bearer tokens: `read` for reads (online features, registry, metrics), `write` for push, writes and materialization (it also reads). Only a write token: reads stay open. None: no auth. */
  readonly auth?: { readonly readToken?: string; readonly writeToken?: string };
  /** Largest request body in bytes (413 above it). Default 1 MiB. */
  readonly maxBodyBytes?: number;
  /** How long a registry document is reused before the version is checked again (Feast's registry_ttl_sec). Default 5 s. */
  readonly registryTtlSeconds?: number;
  /** Where server failures (5xx, and async materializations that fail) are reported. Default console.error. */
  readonly onServerError?: (error: unknown) => void;
}

const WRITE_ROUTES = new Set(['/push', '/write-to-online-store', '/materialize', '/materialize-incremental']);

/** RFC 6750's b64token: the tokens a Bearer header can carry (Hono's bearerAuth refuses others). */
const BEARER_TOKEN = /^[A-Za-z0-9._~+/-]+=*$/;

/**
 * Hono's bearerAuth (a constant-time comparison) accepting `tokens`, answering as Feast's
 * server does: 401 `{"detail": "Missing authentication token"}` without a Bearer token,
 * 403 FeastPermissionError with a token that does not allow `what`.
 */
function tokenAuth(tokens: readonly string[], what: 'reads' | 'writes'): MiddlewareHandler {
  const unauthenticated = (c: Context) => c.json({ detail: 'Missing authentication token' }, 401, { 'x-feast-edge-error': 'AuthenticationError' });
  const denied = (c: Context) => errorResponse(errorAnswer(new PermissionDeniedError(`${c.req.method} ${c.req.path}: the token does not allow ${what}`)));
  return bearerAuth({
    // No token allows writes when only a read token is set.
    ...(tokens.length > 0 ? { token: [...tokens] } : { verifyToken: () => false }),
    noAuthenticationHeader: { message: unauthenticated },
    invalidAuthenticationHeader: { message: unauthenticated },
    invalidToken: { message: denied },
  });
}

/** Column data (`df`, `entities`): arrays by column name, none named like an Object prototype key (JSON.parse keeps them; later code must not meet them). */
function columnsOf(value: Record<string, unknown>, field: string): Record<string, unknown[]> {
  for (const [name, column] of Object.entries(value)) {
    if (['__proto__', 'constructor', 'prototype'].includes(name))
      throw new RequestValidationError(`${field}.${name}: expected a column name other than '${name}'`);
    if (!Array.isArray(column)) throw new RequestValidationError(`${field}.${name}: expected an array of values`);
  }
  return value as Record<string, unknown[]>;
}

/** Columns as rows (ingest takes events one by one). */
function rowsOf(columns: Record<string, unknown[]>): Record<string, unknown>[] {
  const names = Object.keys(columns);
  const count = names.length > 0 ? columns[names[0]].length : 0;
  return Array.from({ length: count }, (_, i) => Object.fromEntries(names.map((n) => [n, columns[n][i]])));
}

/**
 * Feast's Python feature-server routes over a FeatureStore, as a Hono app, answering
 * with Feast's wire: POST /get-online-features, /push, /write-to-online-store,
 * /materialize, /materialize-incremental; GET /health, /v1/vector_stores; and
 * feast-edge's GET /registry (the registry document) and /metrics (Prometheus). Errors
 * are Feast's bodies (a FeastError as the JSON string of its `{module, class, message}`,
 * a malformed body as FastAPI's 422 `{"detail": [...]}`, other failures as the message in
 * a JSON string); bad input is a 4xx, never a 5xx. The X-Feast-Edge-Error header names
 * feast-edge's error class.
 * @example Deno.serve(createFeatureServer(store).fetch)
 */
export function createFeatureServer(store: FeatureStore, options: FeatureServerOptions = {}): Hono {
  const app = new Hono();
  const metrics = new ServerMetrics();
  // Per read, so servers with different ttls can share one store without changing it.
  const registryMaxAgeMs = (options.registryTtlSeconds ?? 5) * 1000;
  const reportServerError = options.onServerError ?? ((error: unknown) => console.error(error));
  const answer = (error: unknown, feastClass?: string) => {
    const result = errorAnswer(error, feastClass);
    if (result.status >= 500 && result.status !== 501) reportServerError(error);
    return errorResponse(result);
  };

  app.onError((error) => {
    // Hono's middleware (bearerAuth) answers with the response it was given.
    if (error instanceof HTTPException) return error.getResponse();
    return answer(error);
  });
  app.notFound(noRoute);

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
  // Hono answers HEAD from GET routes; Starlette does not route HEAD: 405.
  app.use('*', async (c, next) => (c.req.method === 'HEAD' && allowedMethods(c.req.path).length > 0 ? noRoute(c) : next()));
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
    // Reads need a token only when a read token is set; the write token alone guards writes and leaves reads open.
    const readAuth = readToken ? tokenAuth(writeToken ? [readToken, writeToken] : [readToken], 'reads') : undefined;
    app.use('*', async (c, next) => {
      if (c.req.path === '/health' || c.req.method === 'OPTIONS') return next();
      if (WRITE_ROUTES.has(c.req.path)) return writeAuth(c, next);
      return readAuth ? readAuth(c, next) : next();
    });
  }
  const maxSize = options.maxBodyBytes ?? 1_048_576;
  const tooLarge = (c: Context) => c.json(`body: expected at most ${maxSize} bytes`, 413, { 'x-feast-edge-error': 'RequestEntityTooLarge' });
  // A declared Content-Length is compared; a streamed body (chunked) is counted as it is read.
  const limit = bodyLimit({ maxSize, onError: tooLarge });
  app.use('*', async (c, next) => {
    // What bodyLimit does with a declared length, without its first step (c.req.raw.body):
    // on Node that builds a full Request and a web stream per request, where c.req.text()
    // would read the body directly.
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') {
      const length = c.req.header('content-length');
      if (length !== undefined && c.req.header('transfer-encoding') === undefined) return Number.parseInt(length || '0', 10) > maxSize ? tooLarge(c) : next();
    }
    return limit(c, next);
  });

  app.post('/get-online-features', async (c) => {
    // The usual body is taken as it is; anything else gets the full check and its exact refusal.
    const body =
      fastOnlineFeaturesBody(await c.req.text(), c.req.header('content-type')) ?? (await readModel<GetOnlineFeaturesBody>(c, getOnlineFeaturesModel));
    // As in Feast, a feature service wins over a feature list.
    const wanted = body.feature_service ? { featureService: body.feature_service } : { features: body.features ?? [] };
    if (wanted.features?.length === 0) {
      throw new RequestValidationError('features: expected at least one feature reference view:feature, or a feature_service');
    }
    const response = await store.getOnlineFeatures(
      { ...wanted, entityRows: columnsOf(body.entities, 'entities'), fullFeatureNames: body.full_feature_names ?? false },
      { registryMaxAgeMs },
    );
    // Bytes of known length: the Node adapter sends them with a Content-Length, no re-encoding.
    return c.body(response.toWireBytes(), 200, { 'content-type': 'application/json' });
  });
  app.post('/push', async (c) => {
    const body = await readModel<{ push_source_name: string; df: Record<string, unknown>; to?: string }>(c, pushModel);
    const to = body.to;
    if (to !== undefined && to !== 'online' && to !== 'offline' && to !== 'online_and_offline') {
      throw new RequestValidationError(`to: expected 'online', 'offline' or 'online_and_offline', got ${JSON.stringify(to)}`);
    }
    // No `to`: the store's default (with stream views reading the source, online and offline).
    const result = await store.push(body.push_source_name, columnsOf(body.df, 'df'), to ? { to } : {});
    // Feast answers 200 with no body; what stream views made of the push goes in a header.
    const late = Object.keys(result.lateByView).length > 0;
    const summary = { events: result.events, applied: result.applied, late: result.late, late_by_view: result.lateByView };
    return c.body(null, 200, late ? { 'x-feast-edge-push': JSON.stringify(summary) } : {});
  });
  app.post('/write-to-online-store', async (c) => {
    const body = await readModel<{ feature_view_name: string; df: Record<string, unknown> }>(c, writeToOnlineStoreModel);
    const name = body.feature_view_name;
    const df = columnsOf(body.df, 'df');
    try {
      // Which kind of view, and what its source calls its timestamps: the server's registry ttl applies.
      const document = await store.registry.document({ maxAgeMs: registryMaxAgeMs });
      const view = entryOf(document.featureViews, name)?.spec;
      const stream = view ? undefined : entryOf(streamViewsOf(document), name)?.spec;
      if (stream) {
        // Feast keeps a stream view's raw rows online; feast-edge's stream view takes them as events for its windows.
        const events = remoteClientColumns(df, {
          timestampField: stream.timestampField,
          columns: new Set([...stream.entityColumns, ...stream.inputs].map((f) => f.name)),
        });
        // Columns of different lengths are refused as such, before they are cut into events.
        entityColumns(events);
        await store.ingest(name, rowsOf(events), { to: 'online' });
        return c.json(null);
      }
      const columns = view
        ? remoteClientColumns(df, {
            timestampField: view.batchSource.timestampField,
            createdColumn: view.batchSource.createdTimestampColumn,
            columns: new Set([...view.entityColumns, ...view.features].map((f) => f.name)),
          })
        : df;
      await store.writeToOnlineStore(name, columns);
    } catch (error) {
      // Feast looks the name up among every kind of view and answers its base class.
      if (error instanceof FeastObjectNotFoundException && error.objectName === name) return answer(error, 'FeastObjectNotFoundException');
      throw error;
    }
    return c.json(null);
  });
  materializeRoutes(app, store, reportServerError);
  app.get('/health', () => healthAnswer(store, reportServerError));
  // feast-edge's views have no vector index: there is no vector store to list or find.
  app.get('/v1/vector_stores', (c) => c.json({ object: 'list', data: [] }));
  app.get('/v1/vector_stores/:id', (c) => c.json({ error: { message: `No vector store found with id '${c.req.param('id')}'`, type: 'not_found_error' } }, 404));
  app.get('/registry', async (c) => c.json(await store.registry.document()));
  app.get('/metrics', (c) => c.text(metrics.toPrometheus(), 200, { 'Content-Type': 'text/plain; version=0.0.4' }));
  return app;
}

export { statusOf };
