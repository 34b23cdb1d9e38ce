import type { Context, Hono } from 'hono';
import { FeatureViewNotFoundException, InvalidMaterializationRequest, RequestValidationError } from '../errors.js';
import type { FeatureStore } from '../store/feature-store.js';
import { queryFlag, readModel } from './request-body.js';
import { materializeIncrementalModel, materializeModel } from './request-models.js';

interface MaterializeBody {
  start_ts?: string;
  end_ts?: string;
  feature_views?: string[];
  disable_event_timestamp?: boolean;
  full_feature_names?: boolean;
  version?: string;
}

/** Python's repr of a list of strings, as Feast's messages print one. */
const pythonList = (names: readonly string[]) => `[${names.map((n) => `'${n}'`).join(', ')}]`;

/** Refuses what Feast accepts but feast-edge does not do, naming the field. */
function refuseUnsupported(body: MaterializeBody): void {
  if (body.disable_event_timestamp) {
    throw new RequestValidationError('disable_event_timestamp: feast-edge materializes by event time only; leave it false and give start_ts and end_ts');
  }
  if (body.version !== undefined) {
    throw new RequestValidationError(`version: feast-edge keeps no feature view versions; leave it out (got ${JSON.stringify(body.version)})`);
  }
}

/**
 * The views a materialization covers, resolved before it starts (the answer to
 * `?async=true` names them): the named ones, each existing and online, or every online view.
 */
async function viewsToMaterialize(store: FeatureStore, names: readonly string[] | undefined): Promise<string[]> {
  const document = await store.registry.document();
  const views = Object.values(document.featureViews).map((s) => s.spec);
  if (!names) return views.filter((v) => v.online).map((v) => v.name);
  for (const name of names) {
    const view = views.find((v) => v.name === name);
    if (!view) {
      throw new FeatureViewNotFoundException(
        name,
        document.project.name,
        views.map((v) => v.name),
      );
    }
    if (!view.online) throw new InvalidMaterializationRequest(`materialize: feature view '${name}' has online: false`);
  }
  return [...names];
}

/**
 * POST /materialize and /materialize-incremental as Feast's server answers them: 200
 * `null` once done; with `?async=true`, 202 `{"status": "accepted", "feature_views": [...]}`
 * at once and the work in the background (failures reported to `onServerError`), 409 when
 * one of the views is still materializing from an earlier async call (`?force=true` runs anyway).
 */
export function materializeRoutes(app: Hono, store: FeatureStore, onServerError: (error: unknown) => void): void {
  const running = new Set<string>();

  const run = async (c: Context, names: readonly string[] | undefined, work: (views: string[] | undefined) => Promise<unknown>) => {
    if (!queryFlag(c, 'async')) {
      await work(names ? [...names] : undefined);
      return c.json(null);
    }
    const force = queryFlag(c, 'force');
    const views = await viewsToMaterialize(store, names);
    const busy = views.filter((v) => running.has(v));
    if (busy.length > 0 && !force) {
      return c.json(
        {
          error: `Cannot start async materialization — the following feature views are already in MATERIALIZING state: ${pythonList(busy)}. Use ?force=true to override.`,
          feature_views: busy,
        },
        409,
      );
    }
    for (const v of views) running.add(v);
    void work(views)
      .catch(onServerError)
      .finally(() => {
        for (const v of views) running.delete(v);
      });
    return c.json({ status: 'accepted', feature_views: views }, 202);
  };

  app.post('/materialize', async (c) => {
    const body = await readModel<MaterializeBody>(c, materializeModel);
    refuseUnsupported(body);
    const { start_ts: start, end_ts: end } = body;
    if (!start || !end) throw new RequestValidationError('start_ts, end_ts: both are required (ISO 8601 timestamps)');
    return run(c, body.feature_views, (featureViews) => store.materialize({ start, end, ...(featureViews ? { featureViews } : {}) }));
  });

  app.post('/materialize-incremental', async (c) => {
    const body = await readModel<MaterializeBody & { end_ts: string }>(c, materializeIncrementalModel);
    refuseUnsupported(body);
    return run(c, body.feature_views, (featureViews) => store.materializeIncremental({ end: body.end_ts, ...(featureViews ? { featureViews } : {}) }));
  });
}
