import {
  describeChoices,
  projectionName,
  toProjection,
  type FeatureService,
  type FeatureView,
  type FeatureViewProjection,
  type Field,
  type OnDemandFeatureView,
} from '../definitions/index.js';
import { streamViewsOf, type RegistryDocument, type StoredOnDemandFeatureView, type StoredStreamFeatureView } from '../registry/document.js';
import { featureServiceNotFound, featureViewNotFound } from '../errors.js';
import { FeatureNameCollisionError, FeatureNotFoundException, InvalidFeatureReferenceError } from '../errors.js';

/** One view joined once: a projection of it and the columns it contributes. */
export interface ViewJoin {
  readonly projectionName: string;
  readonly view: FeatureView;
  /** View join key -> entity column. */
  readonly joinKeyMap: Readonly<Record<string, string>>;
  /** Each feature may feed several output columns (a requested one and an on-demand input). */
  readonly columns: { readonly feature: string; readonly output: string }[];
}

/** One stream view joined once: its windowed aggregates at each entity row's time. */
export interface StreamJoin {
  readonly projectionName: string;
  readonly view: StoredStreamFeatureView;
  readonly joinKeyMap: Readonly<Record<string, string>>;
  readonly columns: { readonly feature: string; readonly output: string }[];
}

/** One on-demand view to run after the join. */
export interface OnDemandStep {
  readonly view: StoredOnDemandFeatureView;
  readonly code?: OnDemandFeatureView;
  /** Plain input name the transform sees -> joined column holding it. */
  readonly inputs: readonly { readonly name: string; readonly column: string }[];
  readonly requestFields: readonly Field[];
  readonly outputs: readonly { readonly feature: string; readonly output: string }[];
}

/** What a feature list or service resolves to, independent of the entity rows. */
export interface RetrievalPlan {
  readonly joins: readonly ViewJoin[];
  /** Stream views (absent from `joins`: they are aggregated, not looked up). */
  readonly streams: readonly StreamJoin[];
  readonly onDemand: readonly OnDemandStep[];
  /** Requested output columns, in request order. */
  readonly outputs: readonly string[];
  /** Helper columns (on-demand inputs) to drop from the final result. */
  readonly hidden: readonly string[];
  /** The request as `view:feature` references (for saved datasets and responses). */
  readonly featureRefs: readonly string[];
}

export interface PlanRequest {
  features?: readonly string[];
  featureService?: string | FeatureService;
  fullFeatureNames?: boolean;
}

/** Resolves references against a registry document. Pure: cache it per registry version. */
export function planRetrieval(doc: RegistryDocument, request: PlanRequest, code: ReadonlyMap<string, OnDemandFeatureView> = new Map()): RetrievalPlan {
  const projections = requestedProjections(doc, request);
  const full = request.fullFeatureNames ?? false;
  const joins = new Map<string, ViewJoin>();
  const streams = new Map<string, StreamJoin>();
  const onDemand: OnDemandStep[] = [];
  const outputs: string[] = [];
  const hidden: string[] = [];
  const featureRefs: string[] = [];
  const owners = new Map<string, string>();

  const claim = (output: string, ref: string) => {
    const previous = owners.get(output);
    if (previous !== undefined) {
      throw new FeatureNameCollisionError(
        `features '${previous}' and '${ref}' both produce column '${output}'; set fullFeatureNames: true to name columns view__feature`,
      );
    }
    owners.set(output, ref);
  };
  const joinFor = (p: FeatureViewProjection): ViewJoin => {
    const name = projectionName(p);
    let join = joins.get(name);
    if (!join) {
      const view = doc.featureViews[p.viewName].spec;
      join = { projectionName: name, view, joinKeyMap: p.joinKeyMap, columns: [] };
      joins.set(name, join);
    } else if (JSON.stringify(join.joinKeyMap) !== JSON.stringify(p.joinKeyMap)) {
      throw new FeatureNameCollisionError(`'${name}' is projected twice with different join-key maps; give one an alias`);
    }
    return join;
  };

  /** A projection's features as output columns of its join (stream and batch views alike). */
  const addColumns = (name: string, features: readonly string[], columns: { feature: string; output: string }[]) => {
    for (const feature of features) {
      const output = full ? `${name}__${feature}` : feature;
      const ref = `${name}:${feature}`;
      claim(output, ref);
      columns.push({ feature, output });
      outputs.push(output);
      featureRefs.push(ref);
    }
  };
  for (const p of projections) {
    const name = projectionName(p);
    if (p.viewKind === 'streamFeatureView') {
      let join = streams.get(name);
      if (!join) {
        join = { projectionName: name, view: streamViewsOf(doc)[p.viewName].spec, joinKeyMap: p.joinKeyMap, columns: [] };
        streams.set(name, join);
      }
      addColumns(name, p.features, join.columns);
      continue;
    }
    if (p.viewKind === 'featureView') {
      addColumns(name, p.features, joinFor(p).columns);
      continue;
    }
    const view = doc.onDemandFeatureViews[p.viewName].spec;
    const inputs: { name: string; column: string }[] = [];
    for (const source of view.sources) {
      if (!doc.featureViews[source.viewName]) {
        throw featureViewNotFound(source.viewName, doc.project.name, Object.keys(doc.featureViews));
      }
      const join = joinFor(source);
      for (const feature of source.features) {
        const column = `__odfv_input__${view.name}__${projectionName(source)}__${feature}`;
        if (!join.columns.some((c) => c.output === column)) join.columns.push({ feature, output: column });
        if (!hidden.includes(column)) hidden.push(column);
        inputs.push({ name: feature, column });
      }
    }
    const stepOutputs = p.features.map((feature) => {
      const output = full ? `${name}__${feature}` : feature;
      const ref = `${name}:${feature}`;
      claim(output, ref);
      outputs.push(output);
      featureRefs.push(ref);
      return { feature, output };
    });
    onDemand.push({
      view,
      code: code.get(view.name),
      inputs,
      outputs: stepOutputs,
      requestFields: view.requestSources.flatMap((s) => s.schema),
    });
  }
  return { joins: [...joins.values()], streams: [...streams.values()], onDemand, outputs, hidden, featureRefs };
}

function requestedProjections(doc: RegistryDocument, request: PlanRequest): FeatureViewProjection[] {
  const hasFeatures = request.features !== undefined;
  const hasService = request.featureService !== undefined;
  if (hasFeatures === hasService) {
    throw new InvalidFeatureReferenceError('give exactly one of features (a list of "view:feature") or featureService');
  }
  if (hasService) {
    const service = typeof request.featureService === 'string' ? doc.featureServices[request.featureService]?.spec : request.featureService;
    if (!service) {
      throw featureServiceNotFound(String(request.featureService), doc.project.name, Object.keys(doc.featureServices));
    }
    for (const p of service.projections) checkFeatures(doc, p.viewName, p.features);
    return [...service.projections];
  }
  if (!Array.isArray(request.features) || request.features.length === 0) {
    throw new InvalidFeatureReferenceError('features: expected a non-empty list of "view:feature" references');
  }
  // Refs of one view become one projection, in first-seen order.
  const byView = new Map<string, string[]>();
  for (const ref of request.features) {
    const match = typeof ref === 'string' ? /^([^:]+):([^:]+)$/.exec(ref) : null;
    if (!match) throw new InvalidFeatureReferenceError(`feature reference ${JSON.stringify(ref)}: expected "view:feature"`);
    const [, viewName, feature] = match;
    const list = byView.get(viewName) ?? [];
    // A repeated reference is a collision, as in Feast (_validate_feature_refs).
    if (list.includes(feature)) throw new FeatureNameCollisionError(`feature reference '${ref}' is requested twice`);
    list.push(feature);
    byView.set(viewName, list);
  }
  return [...byView].map(([viewName, features]) => {
    const view = checkFeatures(doc, viewName, features);
    return { ...toProjectionOf(view), features };
  });
}

function toProjectionOf(view: FeatureView | StoredOnDemandFeatureView | StoredStreamFeatureView): FeatureViewProjection {
  return toProjection(view as FeatureView);
}

type AnyView = FeatureView | StoredOnDemandFeatureView | StoredStreamFeatureView;

function checkFeatures(doc: RegistryDocument, viewName: string, features: readonly string[]): AnyView {
  const own = <T>(c: Readonly<Record<string, { spec: T }>>) => (Object.hasOwn(c, viewName) ? c[viewName].spec : undefined);
  const view: AnyView | undefined = own(doc.featureViews) ?? own(doc.onDemandFeatureViews) ?? own(streamViewsOf(doc));
  if (!view) {
    const valid = [...Object.keys(doc.featureViews), ...Object.keys(doc.onDemandFeatureViews), ...Object.keys(streamViewsOf(doc))];
    throw featureViewNotFound(viewName, doc.project.name, valid);
  }
  const names = view.features.map((f) => f.name);
  for (const feature of features) {
    if (!names.includes(feature)) {
      throw new FeatureNotFoundException(`feature '${feature}' is not in view '${viewName}'; ${describeChoices(names)}`);
    }
  }
  return view;
}
