import * as v from 'valibot';
import { InvalidDefinitionError } from '../errors.js';
import type { FeatureView } from './feature-view.js';
import type { Field } from './field.js';
import { expected, object, record } from './schema-issue.js';
import type { StreamFeatureView } from './stream-feature-view.js';
import { check, deepFreeze, safeName } from './validate.js';

/**
 * A view as a feature service or on-demand view uses it: a subset of its features,
 * an optional alias (so one view can be joined twice) and a join-key map
 * (view join key -> entity-dataframe column).
 */
export interface FeatureViewProjection {
  readonly kind: 'projection';
  readonly viewName: string;
  readonly viewKind: 'featureView' | 'onDemandFeatureView' | 'streamFeatureView';
  readonly alias?: string;
  readonly features: readonly string[];
  readonly joinKeyMap: Readonly<Record<string, string>>;
}

export interface ProjectionSpec {
  features?: readonly string[];
  alias?: string;
  joinKeyMap?: Record<string, string>;
}

/**
 * An on-demand view as a projection needs it. Spelled structurally, as on-demand views
 * project their own sources (on-demand-feature-view.ts imports this module).
 */
interface ProjectableOnDemandView {
  readonly kind: 'onDemandFeatureView';
  readonly name: string;
  readonly features: readonly Field[];
}

type Projectable = FeatureView | ProjectableOnDemandView | StreamFeatureView;

const FEATURE_NAMES = 'expected a non-empty array of feature names';
const projectionSpec = object({
  features: v.nullish(v.pipe(v.array(v.unknown(), FEATURE_NAMES), v.minLength(1, FEATURE_NAMES))),
  alias: v.nullish(safeName),
  joinKeyMap: v.nullish(record(v.string(), safeName, expected('an object of join key -> column'))),
}, 'expected an object');

/**
 * Projects a view, like Feast's `fv[["f"]].with_name("a").with_join_key_map({...})`.
 * @example projection(location, { alias: 'origin', joinKeyMap: { location_id: 'origin_id' } })
 */
export function projection(view: Projectable | FeatureViewProjection, spec: ProjectionSpec = {}): FeatureViewProjection {
  const base = toProjection(view);
  const where = `projection of '${base.viewName}'`;
  check(projectionSpec, spec ?? {}, where);
  const features = spec.features ?? base.features;
  for (const name of features) {
    if (!base.features.includes(name)) {
      throw new InvalidDefinitionError(
        `${where}.features: '${name}' is not a feature of '${base.viewName}'; valid: ${base.features.join(', ')}`,
      );
    }
  }
  const alias = spec.alias ?? base.alias;
  const joinKeyMap = { ...base.joinKeyMap, ...(spec.joinKeyMap ?? {}) };
  if (view.kind === 'featureView' || view.kind === 'streamFeatureView') {
    const keys = view.entityColumns.map((c) => c.name);
    for (const from of Object.keys(joinKeyMap)) {
      if (!keys.includes(from)) {
        throw new InvalidDefinitionError(`${where}.joinKeyMap: '${from}' is not a join key of '${view.name}'; valid: ${keys.join(', ') || 'none'}`);
      }
    }
  }
  return deepFreeze({
    kind: 'projection', viewName: base.viewName, viewKind: base.viewKind,
    ...(alias !== undefined ? { alias } : {}), features: [...features], joinKeyMap,
  });
}

/** The whole view as a projection (all features, no alias). */
export function toProjection(view: Projectable | FeatureViewProjection): FeatureViewProjection {
  if (view?.kind === 'projection') return view;
  if (view?.kind !== 'featureView' && view?.kind !== 'onDemandFeatureView' && view?.kind !== 'streamFeatureView') {
    throw new InvalidDefinitionError(`projection: expected a featureView, onDemandFeatureView, streamFeatureView or projection, got ${JSON.stringify((view as { kind?: unknown })?.kind ?? view)}`);
  }
  return { kind: 'projection', viewName: view.name, viewKind: view.kind, features: view.features.map((f) => f.name), joinKeyMap: {} };
}

/** The name a projection's features are prefixed with: alias, else the view name. */
export function projectionName(p: FeatureViewProjection): string {
  return p.alias ?? p.viewName;
}
