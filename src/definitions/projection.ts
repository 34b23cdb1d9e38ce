import * as v from 'valibot';
import { InvalidDefinitionError } from '../errors.js';
import type { FeatureView } from './feature-view.js';
import type { Field } from './field.js';
import { expected, object, record } from './schema-issue.js';
import type { StreamFeatureView } from './stream-feature-view.js';
import type { AliasOf, FeatureNameOf, JoinKeyMapOf, MappableJoinKeys, MergedJoinKeyMap, NamedWithFeatures, ViewNameOf } from './typed-refs.js';
import { check, deepFreeze, safeName } from './validate.js';

/**
 * A view as a feature service or on-demand view uses it: a subset of its features,
 * an optional alias (so one view can be joined twice) and a join-key map
 * (view join key -> entity-dataframe column). `V`, `F`, `A` and `M` keep the view name,
 * feature names, alias and map `projection()` was given.
 */
export interface FeatureViewProjection<
  V extends string = string,
  F extends string = string,
  A extends string | undefined = string | undefined,
  M extends object = Readonly<Record<string, string>>,
> {
  readonly kind: 'projection';
  readonly viewName: V;
  readonly viewKind: 'featureView' | 'onDemandFeatureView' | 'streamFeatureView';
  readonly alias?: A;
  readonly features: readonly F[];
  readonly joinKeyMap: M;
}

export interface ProjectionSpec<F extends string = string, A extends string | undefined = string | undefined, M extends object = Record<string, string>> {
  /** A subset of the view's features; a name the view lacks does not compile. */
  features?: readonly F[];
  alias?: A;
  /** View join key -> entity-dataframe column; a key the view lacks does not compile. */
  joinKeyMap?: M;
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
const projectionSpec = object(
  {
    features: v.nullish(v.pipe(v.array(v.unknown(), FEATURE_NAMES), v.minLength(1, FEATURE_NAMES))),
    alias: v.nullish(safeName),
    joinKeyMap: v.nullish(record(v.string(), safeName, expected('an object of join key -> column'))),
  },
  'expected an object',
);

/**
 * Projects a view, like Feast's `fv[["f"]].with_name("a").with_join_key_map({...})`.
 * Its type keeps the view name, the features chosen, the alias and the join-key map.
 * @example projection(location, { alias: 'origin', joinKeyMap: { location_id: 'origin_id' } })
 */
export function projection<
  P extends Projectable | FeatureViewProjection,
  const F extends FeatureNameOf<P> = FeatureNameOf<P>,
  const A extends string | undefined = AliasOf<P>,
  const M extends { readonly [K in MappableJoinKeys<P>]?: string } = {},
>(view: P, spec?: ProjectionSpec<F, A, M>): FeatureViewProjection<ViewNameOf<P>, F, A, MergedJoinKeyMap<JoinKeyMapOf<P>, M>>;
export function projection(view: Projectable | FeatureViewProjection, spec: ProjectionSpec = {}): FeatureViewProjection {
  const base = toProjection(view);
  const where = `projection of '${base.viewName}'`;
  check(projectionSpec, spec ?? {}, where);
  const features = spec.features ?? base.features;
  for (const name of features) {
    if (!base.features.includes(name)) {
      throw new InvalidDefinitionError(`${where}.features: '${name}' is not a feature of '${base.viewName}'; valid: ${base.features.join(', ')}`);
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
    kind: 'projection',
    viewName: base.viewName,
    viewKind: base.viewKind,
    ...(alias !== undefined ? { alias } : {}),
    features: [...features],
    joinKeyMap,
  });
}

/** The whole view as a projection (all features, no alias). */
export function toProjection(view: Projectable | FeatureViewProjection): FeatureViewProjection {
  if (view?.kind === 'projection') return view;
  if (view?.kind !== 'featureView' && view?.kind !== 'onDemandFeatureView' && view?.kind !== 'streamFeatureView') {
    throw new InvalidDefinitionError(
      `projection: expected a featureView, onDemandFeatureView, streamFeatureView or projection, got ${JSON.stringify((view as { kind?: unknown })?.kind ?? view)}`,
    );
  }
  return { kind: 'projection', viewName: view.name, viewKind: view.kind, features: view.features.map((f) => f.name), joinKeyMap: {} };
}

/** A view or projection as the projection `toProjection` makes of it (all features, no alias). */
export type ProjectionOf<P> = P extends FeatureViewProjection
  ? P
  : P extends NamedWithFeatures
    ? FeatureViewProjection<P['name'], FeatureNameOf<P>, undefined, {}>
    : never;

/** The name a projection's features are prefixed with: alias, else the view name. */
export function projectionName(p: FeatureViewProjection): string {
  return p.alias ?? p.viewName;
}
