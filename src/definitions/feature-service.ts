import { InvalidDefinitionError } from '../errors.js';
import type { FeatureView } from './feature-view.js';
import type { OnDemandFeatureView } from './on-demand-feature-view.js';
import type { StreamFeatureView } from './stream-feature-view.js';
import { projectionName, toProjection, type FeatureViewProjection } from './projection.js';
import { assertName, assertUnique, deepFreeze, metadata, type Metadata } from './validate.js';

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

/**
 * Declares a feature service.
 * @example featureService({ name: 'driver_activity', features: [projection(driverStats, { features: ['conv_rate'] })] })
 */
export function featureService(spec: FeatureServiceSpec): FeatureService {
  assertName(spec?.name, 'featureService.name');
  const where = `featureService '${spec.name}'`;
  if (!Array.isArray(spec.features) || spec.features.length === 0) {
    throw new InvalidDefinitionError(`${where}.features: expected a non-empty array of views or projections`);
  }
  const projections = spec.features.map((f) => toProjection(f));
  assertUnique(projections.map(projectionName), `${where}.features (use projection(view, { alias }) to use one view twice)`);
  return deepFreeze({ kind: 'featureService', name: spec.name, projections, ...metadata(spec, where) });
}
