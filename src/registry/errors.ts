import { describeChoices, FeastEdgeError } from '../definitions/errors.js';

/** Builds a not-found error whose message lists what exists. */
function notFound(name: string, what: string, missing: string, project: string, existing: readonly string[]): FeastEdgeError {
  return new FeastEdgeError(name, `${what} '${missing}' is not in project '${project}'; ${describeChoices(existing)}`);
}

export const entityNotFound = (n: string, p: string, e: readonly string[]) => notFound('EntityNotFoundException', 'entity', n, p, e);
export const dataSourceNotFound = (n: string, p: string, e: readonly string[]) => notFound('DataSourceObjectNotFoundException', 'data source', n, p, e);
export const featureViewNotFound = (n: string, p: string, e: readonly string[]) => notFound('FeatureViewNotFoundException', 'feature view', n, p, e);
export const onDemandFeatureViewNotFound = (n: string, p: string, e: readonly string[]) => notFound('OnDemandFeatureViewNotFoundException', 'on-demand feature view', n, p, e);
export const featureServiceNotFound = (n: string, p: string, e: readonly string[]) => notFound('FeatureServiceNotFoundException', 'feature service', n, p, e);
export const savedDatasetNotFound = (n: string, p: string, e: readonly string[]) => notFound('SavedDatasetNotFound', 'saved dataset', n, p, e);

export class ProjectNotFoundException extends FeastEdgeError {
  constructor(project: string) {
    super('ProjectNotFoundException', `project '${project}' has no registry yet; run apply first`);
  }
}

/** Another writer changed the registry since it was read. */
export class RegistryVersionConflictError extends FeastEdgeError {
  constructor(project: string, expected: number, actual: number) {
    super('RegistryVersionConflictError', `registry of project '${project}' is at version ${actual}, expected ${expected}: another writer changed it`);
  }
}

/** Two different objects claim one name (Feast's ConflictingFeatureViewNames and kin). */
export class ConflictingObjectNamesError extends FeastEdgeError {
  constructor(message: string) { super('ConflictingFeatureViewNames', message); }
}

export class SavedDatasetExistsError extends FeastEdgeError {
  constructor(name: string) {
    super('SavedDatasetExistsError', `saved dataset '${name}' exists; pass allowOverwrite: true to replace it`);
  }
}
