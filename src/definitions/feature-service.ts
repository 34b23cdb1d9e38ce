import * as v from 'valibot';
import type { FeatureView } from './feature-view.js';
import type { OnDemandFeatureView } from './on-demand-feature-view.js';
import type { StreamFeatureView } from './stream-feature-view.js';
import { projectionName, toProjection, type FeatureViewProjection } from './projection.js';
import { object } from './schema-issue.js';
import { assertUnique, checkSpec, deepFreeze, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

/** A named set of features a model uses, as projections of views. */
export interface FeatureService extends Metadata {
  readonly kind: 'featureService';
  readonly name: string;
  readonly projections: readonly FeatureViewProjection[];
}

export interface FeatureServiceSpec extends Metadata {
  name: string;
  features: readonly (FeatureView | OnDemandFeatureView | StreamFeatureView | FeatureViewProjection)[];
}

const FEATURES = 'expected a non-empty array of views or projections';
// Each item is made a projection by toProjection, which names what it takes.
const featureServiceSpec = object({
  name: safeName,
  features: v.pipe(v.array(v.unknown(), FEATURES), v.minLength(1, FEATURES)),
  ...metadataEntries,
}, 'expected an object');

/**
 * Declares a feature service.
 * @example featureService({ name: 'driver_activity', features: [projection(driverStats, { features: ['conv_rate'] })] })
 */
export function featureService(spec: FeatureServiceSpec): FeatureService {
  checkSpec(featureServiceSpec, spec, 'featureService');
  const projections = spec.features.map((f) => toProjection(f));
  assertUnique(projections.map(projectionName), `featureService '${spec.name}'.features (use projection(view, { alias }) to use one view twice)`);
  return deepFreeze({ kind: 'featureService', name: spec.name, projections, ...metadata(spec) });
}
