import * as v from 'valibot';
import type { FeatureView } from './feature-view.js';
import type { OnDemandFeatureView } from './on-demand-feature-view.js';
import type { StreamFeatureView } from './stream-feature-view.js';
import { projectionName, toProjection, type FeatureViewProjection, type ProjectionOf } from './projection.js';
import { object } from './schema-issue.js';
import { assertUnique, checkSpec, deepFreeze, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

/**
 * A named set of features a model uses, as projections of views. `N` and `P` keep its
 * name and projections, so a typed store checks `featureService: 'name'` and types the response.
 */
export interface FeatureService<N extends string = string, P extends FeatureViewProjection = FeatureViewProjection> extends Metadata {
  readonly kind: 'featureService';
  readonly name: N;
  readonly projections: readonly P[];
}

/** What a feature service may list: whole views, or projections of them. */
export type ServiceFeatures = FeatureView | OnDemandFeatureView | StreamFeatureView | FeatureViewProjection;

export interface FeatureServiceSpec<N extends string = string, V extends ServiceFeatures = ServiceFeatures> extends Metadata {
  name: N;
  features: readonly V[];
}

const FEATURES = 'expected a non-empty array of views or projections';
// Each item is made a projection by toProjection, which names what it takes.
const featureServiceSpec = object(
  {
    name: safeName,
    features: v.pipe(v.array(v.unknown(), FEATURES), v.minLength(1, FEATURES)),
    ...metadataEntries,
  },
  'expected an object',
);

/**
 * Declares a feature service. Its type keeps the name and each view's projection.
 * @example featureService({ name: 'driver_activity', features: [projection(driverStats, { features: ['conv_rate'] })] })
 */
export function featureService<const N extends string, V extends ServiceFeatures>(spec: FeatureServiceSpec<N, V>): FeatureService<N, ProjectionOf<V>>;
export function featureService(spec: FeatureServiceSpec): FeatureService {
  checkSpec(featureServiceSpec, spec, 'featureService');
  const projections = spec.features.map((f) => toProjection(f));
  assertUnique(projections.map(projectionName), `featureService '${spec.name}'.features (use projection(view, { alias }) to use one view twice)`);
  return deepFreeze({ kind: 'featureService', name: spec.name, projections, ...metadata(spec) });
}
