/**
 * Errors carry a stable `name` matching Feast's exception names, so callers and the
 * HTTP layer can map them without parsing messages.
 */
export class FeastEdgeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** A definition is malformed; the message names the object and the field. */
export class InvalidDefinitionError extends FeastEdgeError {
  constructor(message: string) {
    super('InvalidDefinitionError', message);
  }
}

/** Lists the valid choices in a not-found message, capped so it stays readable. */
export function describeChoices(choices: readonly string[]): string {
  if (choices.length === 0) return 'none exist';
  const shown = choices.slice(0, 20).map((c) => `'${c}'`).join(', ');
  return choices.length > 20 ? `valid: ${shown}, ... (${choices.length} in all)` : `valid: ${shown}`;
}

/** Two requested features resolve to the same output column (Feast's FeatureNameCollisionError). */
export class FeatureNameCollisionError extends FeastEdgeError {
  constructor(message: string) { super('FeatureNameCollisionError', message); }
}

/** A reference names a feature the view does not have. */
export class FeatureNotFoundException extends FeastEdgeError {
  constructor(message: string) { super('FeatureNotFoundException', message); }
}

/** A feature reference is not of the form `view:feature`. */
export class InvalidFeatureReferenceError extends FeastEdgeError {
  constructor(message: string) { super('InvalidFeatureReferenceError', message); }
}

/** An on-demand view needs request data the entity dataframe lacks. */
export class RequestDataNotFoundInEntityDfException extends FeastEdgeError {
  constructor(message: string) { super('RequestDataNotFoundInEntityDfException', message); }
}

/** The entity dataframe lacks a join key column a view needs (Feast's FeastEntityDFMissingColumnsError). */
export class FeastEntityDFMissingColumnsError extends FeastEdgeError {
  constructor(message: string) { super('FeastEntityDFMissingColumnsError', message); }
}

/** No event timestamp column could be found in the entity dataframe. */
export class EntityTimestampInferenceException extends FeastEdgeError {
  constructor(message: string) { super('EntityTimestampInferenceException', message); }
}

/** A source's data could not be found or read. */
export class DataSourceNotFoundException extends FeastEdgeError {
  constructor(message: string) { super('DataSourceNotFoundException', message); }
}

/**
 * A registry object that does not exist (Feast's FeastObjectNotFoundException). The
 * message lists what does exist, so a typo is one glance away from its fix.
 */
export class FeastObjectNotFoundException extends FeastEdgeError {
  readonly objectName: string;
  readonly project: string;
  readonly existing: readonly string[];

  constructor(errorName: string, what: string, objectName: string, project: string, existing: readonly string[]) {
    super(errorName, `${what} '${objectName}' is not in project '${project}'; ${describeChoices(existing)}`);
    this.objectName = objectName;
    this.project = project;
    this.existing = [...existing];
  }
}

/** @example throw new EntityNotFoundException('driver', 'demo', ['customer']) */
export class EntityNotFoundException extends FeastObjectNotFoundException {
  constructor(name: string, project: string, existing: readonly string[] = []) {
    super('EntityNotFoundException', 'entity', name, project, existing);
  }
}

export class DataSourceObjectNotFoundException extends FeastObjectNotFoundException {
  constructor(name: string, project: string, existing: readonly string[] = []) {
    super('DataSourceObjectNotFoundException', 'data source', name, project, existing);
  }
}

export class FeatureViewNotFoundException extends FeastObjectNotFoundException {
  constructor(name: string, project: string, existing: readonly string[] = []) {
    super('FeatureViewNotFoundException', 'feature view', name, project, existing);
  }
}

export class OnDemandFeatureViewNotFoundException extends FeastObjectNotFoundException {
  constructor(name: string, project: string, existing: readonly string[] = []) {
    super('OnDemandFeatureViewNotFoundException', 'on-demand feature view', name, project, existing);
  }
}

export class StreamFeatureViewNotFoundException extends FeastObjectNotFoundException {
  constructor(name: string, project: string, existing: readonly string[] = []) {
    super('StreamFeatureViewNotFoundException', 'stream feature view', name, project, existing);
  }
}

export class FeatureServiceNotFoundException extends FeastObjectNotFoundException {
  constructor(name: string, project: string, existing: readonly string[] = []) {
    super('FeatureServiceNotFoundException', 'feature service', name, project, existing);
  }
}

export class SavedDatasetNotFound extends FeastObjectNotFoundException {
  constructor(name: string, project: string, existing: readonly string[] = []) {
    super('SavedDatasetNotFound', 'saved dataset', name, project, existing);
  }
}

/** Factories kept for callers that throw by function (the retrieval planner). */
export const featureViewNotFound = (name: string, project: string, existing: readonly string[]) =>
  new FeatureViewNotFoundException(name, project, existing);
export const featureServiceNotFound = (name: string, project: string, existing: readonly string[]) =>
  new FeatureServiceNotFoundException(name, project, existing);

/** The project was never applied in this store (or was torn down). */
export class ProjectNotFoundException extends FeastEdgeError {
  readonly project: string;
  constructor(project: string, existing: readonly string[] = []) {
    super('ProjectNotFoundException', `project '${project}' has no registry yet; run apply first (${describeChoices(existing)})`);
    this.project = project;
  }
}

/** Another writer changed the registry since it was read. */
export class RegistryVersionConflictError extends FeastEdgeError {
  readonly project: string;
  readonly expected: number;
  readonly actual: number;
  constructor(project: string, expected: number, actual: number) {
    super('RegistryVersionConflictError', `registry of project '${project}' is at version ${actual}, expected ${expected}: another writer changed it`);
    this.project = project;
    this.expected = expected;
    this.actual = actual;
  }
}

/** One name used by views of different kinds (a feature view and an on-demand view). */
export class ConflictingFeatureViewNames extends FeastEdgeError {
  constructor(viewName: string, detail: string) {
    super('ConflictingFeatureViewNames', `the feature view name '${viewName}' refers to feature views of different types: ${detail}`);
  }
}

/** Two different data sources share a name in one apply (Feast's DataSourceRepeatNamesException). */
export class DataSourceRepeatNamesException extends FeastEdgeError {
  constructor(sourceName: string, detail: string) {
    super('DataSourceRepeatNamesException', `data source name '${sourceName}' is used by two different definitions in one apply: ${detail}`);
  }
}

export class SavedDatasetExistsError extends FeastEdgeError {
  constructor(name: string) {
    super('SavedDatasetExistsError', `saved dataset '${name}' exists; pass allowOverwrite: true to replace it`);
  }
}

/** A write to a store that refuses writes (a registry served from a URL). */
export class RegistryReadOnlyError extends FeastEdgeError {
  constructor(project: string) {
    super('RegistryReadOnlyError', `the registry store of project '${project}' is read-only`);
  }
}

/** The store itself is unusable: a corrupt file, a lock that is never released, a path holding another project. */
export class RegistryStoreError extends FeastEdgeError {
  constructor(message: string) {
    super('RegistryStoreError', message);
  }
}

/**
 * The stored registry was applied with on-demand transforms whose code differs from the
 * code loaded now: serving would compute features the registry does not describe.
 */
export class TransformMismatchError extends FeastEdgeError {
  readonly views: readonly string[];
  constructor(project: string, views: readonly string[]) {
    super('TransformMismatchError', `the registry of project '${project}' was applied with different transform code for on-demand or stream feature view(s) ${views.map((v) => `'${v}'`).join(', ')}; apply the loaded definitions again, or load the code the registry was applied with`);
    this.views = [...views];
  }
}

/** The deployment has no offline store (the edge, a Service Worker): the operation needs DuckDB. */
export class OfflineStoreUnavailableError extends FeastEdgeError {
  constructor(operation?: string) {
    const why = 'historical retrieval and materialization are not available at the edge or in a Service Worker (this feature store has no offline store); run them in Node or a browser worker';
    super('OfflineStoreUnavailableError', operation ? `${operation}: ${why}` : why);
  }
}
