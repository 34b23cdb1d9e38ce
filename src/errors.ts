/**
 * Every error feast-edge throws, one class per name. The `name` is Feast's exception name
 * where Feast has one (the HTTP body's `type`), so callers and the HTTP layer map errors
 * by class, never by parsing messages; `httpStatus` is the feature server's answer.
 */
export abstract class FeastEdgeError extends Error {
  /** Stable across releases: tests, logs and the HTTP wire match on it. */
  abstract override readonly name: string;
  /** The status the feature server answers with when this error ends a request. */
  abstract readonly httpStatus: number;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

/** Lists the valid choices in a not-found message, capped so it stays readable. */
export function describeChoices(choices: readonly string[]): string {
  if (choices.length === 0) return 'none exist';
  const shown = choices
    .slice(0, 20)
    .map((c) => `'${c}'`)
    .join(', ');
  return choices.length > 20 ? `valid: ${shown}, ... (${choices.length} in all)` : `valid: ${shown}`;
}

// ---- The caller's input or definitions are wrong; the message names the field ----

/** A definition is malformed; the message names the object and the field. */
export class InvalidDefinitionError extends FeastEdgeError {
  override readonly name = 'InvalidDefinitionError';
  get httpStatus() {
    return 422;
  }
}
/** Two requested features resolve to the same output column (Feast's FeatureNameCollisionError). */
export class FeatureNameCollisionError extends FeastEdgeError {
  override readonly name = 'FeatureNameCollisionError';
  get httpStatus() {
    return 422;
  }
}
/** A feature reference is not of the form `view:feature`. */
export class InvalidFeatureReferenceError extends FeastEdgeError {
  override readonly name = 'InvalidFeatureReferenceError';
  get httpStatus() {
    return 422;
  }
}
/** An on-demand view needs request data the entity dataframe lacks (404, Feast's status: a not-found exception there). */
export class RequestDataNotFoundInEntityDfException extends FeastEdgeError {
  override readonly name = 'RequestDataNotFoundInEntityDfException';
  get httpStatus() {
    return 404;
  }
}
/** An on-demand view needs request data the entity rows of an online read lack (404, Feast's status: a not-found exception there). */
export class RequestDataNotFoundInEntityRowsException extends FeastEdgeError {
  override readonly name = 'RequestDataNotFoundInEntityRowsException';
  get httpStatus() {
    return 404;
  }
}
/** The entity dataframe (or a source) lacks a column a view needs (Feast's FeastEntityDFMissingColumnsError). */
export class FeastEntityDFMissingColumnsError extends FeastEdgeError {
  override readonly name = 'FeastEntityDFMissingColumnsError';
  get httpStatus() {
    return 422;
  }
}
/** No event timestamp column could be found in the entity dataframe. */
export class EntityTimestampInferenceException extends FeastEdgeError {
  override readonly name = 'EntityTimestampInferenceException';
  get httpStatus() {
    return 422;
  }
}
/** The entity dataframe is not one of the accepted shapes, or its rows or file are malformed. */
export class InvalidEntityDfError extends FeastEdgeError {
  override readonly name = 'InvalidEntityDfError';
  get httpStatus() {
    return 422;
  }
}
/** The entity rows of an online read are not rows or columns of equal length. */
export class InvalidEntityRowsError extends FeastEdgeError {
  override readonly name = 'InvalidEntityRowsError';
  get httpStatus() {
    return 422;
  }
}
/** A join key value does not fit the entity's type. */
export class InvalidEntityKeyError extends FeastEdgeError {
  override readonly name = 'InvalidEntityKeyError';
  get httpStatus() {
    return 422;
  }
}
/** The entity rows lack a join key column of a requested view. */
export class MissingJoinKeyError extends FeastEdgeError {
  override readonly name = 'MissingJoinKeyError';
  get httpStatus() {
    return 422;
  }
}
/** Request data given for an on-demand view does not fit its request source's schema. */
export class InvalidRequestDataError extends FeastEdgeError {
  override readonly name = 'InvalidRequestDataError';
  get httpStatus() {
    return 422;
  }
}
/** A value given as a timestamp is not a Date, an ISO 8601 string or epoch seconds. */
export class InvalidTimestampError extends FeastEdgeError {
  override readonly name = 'InvalidTimestampError';
  get httpStatus() {
    return 422;
  }
}
/** Rows refused before anything was written; the message names the column and row. */
export class InvalidOnlineWriteError extends FeastEdgeError {
  override readonly name = 'InvalidOnlineWriteError';
  get httpStatus() {
    return 422;
  }
}
/** Rows cannot be appended to this source (it is not a local file). */
export class InvalidOfflineWriteError extends FeastEdgeError {
  override readonly name = 'InvalidOfflineWriteError';
  get httpStatus() {
    return 422;
  }
}
/** A browser source input (file, bytes, URL, OPFS path) is not of an accepted shape. */
export class InvalidSourceInputError extends FeastEdgeError {
  override readonly name = 'InvalidSourceInputError';
  get httpStatus() {
    return 422;
  }
}
/** A materialization window whose start is after its end. */
export class InvalidMaterializationWindow extends FeastEdgeError {
  override readonly name = 'InvalidMaterializationWindow';
  get httpStatus() {
    return 422;
  }
}
/** A view named for materialization cannot be materialized (it has online: false). */
export class InvalidMaterializationRequest extends FeastEdgeError {
  override readonly name = 'InvalidMaterializationRequest';
  get httpStatus() {
    return 422;
  }
}
/** An argument outside its valid choices (Python's ValueError, as Feast raises it). */
export class ValueError extends FeastEdgeError {
  override readonly name = 'ValueError';
  get httpStatus() {
    return 422;
  }
}
/** An on-demand transform returned a missing or misshapen output. */
export class OnDemandTransformError extends FeastEdgeError {
  override readonly name = 'OnDemandTransformError';
  get httpStatus() {
    return 422;
  }
}
/** A stream view's transform returned something other than a row, or a row that does not check. */
export class StreamTransformError extends FeastEdgeError {
  override readonly name = 'StreamTransformError';
  get httpStatus() {
    return 422;
  }
}
/** The on-demand view's loaded code differs from what was applied. */
export class OnDemandTransformMismatchError extends FeastEdgeError {
  override readonly name = 'OnDemandTransformMismatchError';
  get httpStatus() {
    return 422;
  }
}
/**
 * An on-demand view whose transform is Python (read from Feast's registry.db) was asked
 * for, and no TypeScript transform was supplied for it. 501: the request is valid, this
 * deployment lacks the code to compute it (as OfflineStoreUnavailableError).
 */
export class OnDemandTransformUnavailableError extends FeastEdgeError {
  override readonly name = 'OnDemandTransformUnavailableError';
  get httpStatus() {
    return 501;
  }
  readonly view: string;
  constructor(view: string, feastMode: string) {
    super(
      `on-demand feature view '${view}' is computed by a Python function (Feast mode '${feastMode}'), which feast-edge cannot run; supply its TypeScript equivalent: export onDemandTransform({ view: '${view}', transform: (row) => ({ ... }) }) (or transformColumns) from a .ts module in the repo, or pass it to createFeatureStore({ onDemandTransforms })`,
    );
    this.view = view;
  }
}
/** The stream view's loaded transform is missing or differs from what was applied. */
export class StreamTransformMismatchError extends FeastEdgeError {
  override readonly name = 'StreamTransformMismatchError';
  get httpStatus() {
    return 422;
  }
}

/**
 * The stored registry was applied with on-demand transforms whose code differs from the
 * code loaded now: serving would compute features the registry does not describe.
 */
export class TransformMismatchError extends FeastEdgeError {
  override readonly name = 'TransformMismatchError';
  get httpStatus() {
    return 422;
  }
  readonly views: readonly string[];
  constructor(project: string, views: readonly string[]) {
    super(
      `the registry of project '${project}' was applied with different transform code for on-demand or stream feature view(s) ${views.map((v) => `'${v}'`).join(', ')}; apply the loaded definitions again, or load the code the registry was applied with`,
    );
    this.views = [...views];
  }
}

/** One name used by views of different kinds (a feature view and an on-demand view). */
export class ConflictingFeatureViewNames extends FeastEdgeError {
  override readonly name = 'ConflictingFeatureViewNames';
  get httpStatus() {
    return 422;
  }
  constructor(viewName: string, detail: string) {
    super(`the feature view name '${viewName}' refers to feature views of different types: ${detail}`);
  }
}

/** Two different data sources share a name in one apply (Feast's DataSourceRepeatNamesException). */
export class DataSourceRepeatNamesException extends FeastEdgeError {
  override readonly name = 'DataSourceRepeatNamesException';
  get httpStatus() {
    return 422;
  }
  constructor(sourceName: string, detail: string) {
    super(`data source name '${sourceName}' is used by two different definitions in one apply: ${detail}`);
  }
}

export class SavedDatasetExistsError extends FeastEdgeError {
  override readonly name = 'SavedDatasetExistsError';
  get httpStatus() {
    return 422;
  }
  constructor(name: string) {
    super(`saved dataset '${name}' exists; pass allowOverwrite: true to replace it`);
  }
}

/** Long work (materialization, a worker call) cancelled through its AbortSignal. */
export class AbortError extends FeastEdgeError {
  override readonly name = 'AbortError';
  get httpStatus() {
    return 422;
  }
}

// ---- HTTP requests refused before they reach the store ----

/**
 * A request body that is not JSON or does not match the route's schema; the message names
 * the field. `detail` holds FastAPI's entries (`{type, loc, msg, input}`) when the body
 * fails the route's model: the server answers them as Feast's server does.
 */
export class RequestValidationError extends FeastEdgeError {
  override readonly name = 'RequestValidationError';
  get httpStatus() {
    return 422;
  }
  readonly detail?: readonly { readonly type: string; readonly loc: readonly (string | number)[]; readonly msg: string; readonly input: unknown }[];
  constructor(message: string, detail?: RequestValidationError['detail']) {
    super(message);
    if (detail) this.detail = detail;
  }
}
/** A request without a bearer token to a server that needs one. */
export class AuthenticationError extends FeastEdgeError {
  override readonly name = 'AuthenticationError';
  get httpStatus() {
    return 401;
  }
}
/** A token that does not allow the route (a read token on a write route). */
export class PermissionDeniedError extends FeastEdgeError {
  override readonly name = 'PermissionDeniedError';
  get httpStatus() {
    return 403;
  }
}

// ---- What was asked for does not exist ----

/** A reference names a feature the view does not have. */
export class FeatureNotFoundException extends FeastEdgeError {
  override readonly name = 'FeatureNotFoundException';
  get httpStatus() {
    return 404;
  }
}
/** A source's data lacks a column a view reads, or holds it with a type that does not fit the declared one. */
export class DataSourceColumnError extends FeastEdgeError {
  override readonly name = 'DataSourceColumnError';
  get httpStatus() {
    return 422;
  }
}
/** A source's data could not be found or read. */
export class DataSourceNotFoundException extends FeastEdgeError {
  override readonly name = 'DataSourceNotFoundException';
  get httpStatus() {
    return 404;
  }
}
/** No feature view reads the push source named in a push (422, Feast's status for it). */
export class PushSourceNotFoundException extends FeastEdgeError {
  override readonly name = 'PushSourceNotFoundException';
  get httpStatus() {
    return 422;
  }
}

/**
 * A registry object that does not exist (Feast's FeastObjectNotFoundException). The
 * message lists what does exist, so a typo is one glance away from its fix; a caller that
 * sees the miss from another angle (materialize, a worker's file sources) may word its own.
 */
export abstract class FeastObjectNotFoundException extends FeastEdgeError {
  get httpStatus() {
    return 404;
  }
  readonly objectName: string;
  /** '' when the store that missed it does not know the project (dataset storage). */
  readonly project: string;
  readonly existing: readonly string[];

  protected constructor(what: string, objectName: string, project: string, existing: readonly string[], message?: string) {
    super(message ?? `${what} '${objectName}' is not in project '${project}'; ${describeChoices(existing)}`);
    this.objectName = objectName;
    this.project = project;
    this.existing = [...existing];
  }
}

/** @example throw new EntityNotFoundException('driver', 'demo', ['customer']) */
export class EntityNotFoundException extends FeastObjectNotFoundException {
  override readonly name = 'EntityNotFoundException';
  constructor(name: string, project: string, existing: readonly string[] = [], message?: string) {
    super('entity', name, project, existing, message);
  }
}

export class DataSourceObjectNotFoundException extends FeastObjectNotFoundException {
  override readonly name = 'DataSourceObjectNotFoundException';
  constructor(name: string, project: string, existing: readonly string[] = [], message?: string) {
    super('data source', name, project, existing, message);
  }
}

export class FeatureViewNotFoundException extends FeastObjectNotFoundException {
  override readonly name = 'FeatureViewNotFoundException';
  constructor(name: string, project: string, existing: readonly string[] = [], message?: string) {
    super('feature view', name, project, existing, message);
  }
}

export class OnDemandFeatureViewNotFoundException extends FeastObjectNotFoundException {
  override readonly name = 'OnDemandFeatureViewNotFoundException';
  constructor(name: string, project: string, existing: readonly string[] = [], message?: string) {
    super('on-demand feature view', name, project, existing, message);
  }
}

export class StreamFeatureViewNotFoundException extends FeastObjectNotFoundException {
  override readonly name = 'StreamFeatureViewNotFoundException';
  constructor(name: string, project: string, existing: readonly string[] = [], message?: string) {
    super('stream feature view', name, project, existing, message);
  }
}

export class FeatureServiceNotFoundException extends FeastObjectNotFoundException {
  override readonly name = 'FeatureServiceNotFoundException';
  constructor(name: string, project: string, existing: readonly string[] = [], message?: string) {
    super('feature service', name, project, existing, message);
  }
}

export class SavedDatasetNotFound extends FeastObjectNotFoundException {
  override readonly name = 'SavedDatasetNotFound';
  constructor(name: string, project: string, existing: readonly string[] = [], message?: string) {
    super('saved dataset', name, project, existing, message);
  }
}

/** Factories kept for callers that throw by function (the retrieval planner). */
export const featureViewNotFound = (name: string, project: string, existing: readonly string[]) => new FeatureViewNotFoundException(name, project, existing);
export const featureServiceNotFound = (name: string, project: string, existing: readonly string[]) =>
  new FeatureServiceNotFoundException(name, project, existing);

/** The project was never applied in this store (or was torn down). */
export class ProjectNotFoundException extends FeastEdgeError {
  override readonly name = 'ProjectNotFoundException';
  get httpStatus() {
    return 404;
  }
  readonly project: string;
  constructor(project: string, existing: readonly string[] = []) {
    super(`project '${project}' has no registry yet; run apply first (${describeChoices(existing)})`);
    this.project = project;
  }
}

// ---- Another writer got there first; retrying may succeed ----

/** Another writer changed the registry since it was read. */
export class RegistryVersionConflictError extends FeastEdgeError {
  override readonly name = 'RegistryVersionConflictError';
  get httpStatus() {
    return 409;
  }
  readonly project: string;
  readonly expected: number;
  readonly actual: number;
  constructor(project: string, expected: number, actual: number) {
    super(`registry of project '${project}' is at version ${actual}, expected ${expected}: another writer changed it`);
    this.project = project;
    this.expected = expected;
    this.actual = actual;
  }
}

/** Other writers kept changing the same online keys until the write gave up. */
export class OnlineWriteConflictError extends FeastEdgeError {
  override readonly name = 'OnlineWriteConflictError';
  get httpStatus() {
    return 409;
  }
}

// ---- What this deployment cannot do, or a store that fails ----

/** The deployment has no offline store (the edge, a Service Worker): the operation needs DuckDB. */
export class OfflineStoreUnavailableError extends FeastEdgeError {
  override readonly name = 'OfflineStoreUnavailableError';
  get httpStatus() {
    return 501;
  }
  constructor(operation?: string) {
    const why =
      'historical retrieval and materialization are not available at the edge or in a Service Worker (this feature store has no offline store); run them in Node or a browser worker';
    super(operation ? `${operation}: ${why}` : why);
  }
}

/** A write to a store that refuses writes (a registry served from a URL). */
export class RegistryReadOnlyError extends FeastEdgeError {
  override readonly name = 'RegistryReadOnlyError';
  get httpStatus() {
    return 503;
  }
  constructor(project: string) {
    super(`the registry store of project '${project}' is read-only`);
  }
}

/** The store itself is unusable: a corrupt file, a lock that is never released, a path holding another project. */
export class RegistryStoreError extends FeastEdgeError {
  override readonly name = 'RegistryStoreError';
  get httpStatus() {
    return 503;
  }
}
/** The online store's server (Redis) cannot be reached or failed an operation. */
export class OnlineStoreConnectionError extends FeastEdgeError {
  override readonly name = 'OnlineStoreConnectionError';
  get httpStatus() {
    return 503;
  }
}
/** A stream view's stored tile state cannot be read; its events must be ingested again. */
export class StreamStateError extends FeastEdgeError {
  override readonly name = 'StreamStateError';
  get httpStatus() {
    return 503;
  }
}
/** A worker's feature store used before open(). */
export class FeatureStoreNotOpenError extends FeastEdgeError {
  override readonly name = 'FeatureStoreNotOpenError';
  get httpStatus() {
    return 503;
  }
}

// ---- Set-up mistakes, found before any request is served ----

/** A deployment variable or factory option is missing or malformed; the message names it. */
export class ConfigurationError extends FeastEdgeError {
  override readonly name = 'ConfigurationError';
  get httpStatus() {
    return 500;
  }
}
/** `feature_store.yaml` is missing, unparsable or invalid; the message names the field (Feast's FeastConfigError). */
export class FeastConfigError extends FeastEdgeError {
  override readonly name = 'FeastConfigError';
  get httpStatus() {
    return 500;
  }
}
/** A feature repo that does not exist, a module that fails to load, or two definitions sharing a name. */
export class FeastRepoLoadError extends FeastEdgeError {
  override readonly name = 'FeastRepoLoadError';
  get httpStatus() {
    return 500;
  }
}
/** An online store option out of range (a Redis URL, a key ttl). */
export class InvalidOnlineStoreConfig extends FeastEdgeError {
  override readonly name = 'InvalidOnlineStoreConfig';
  get httpStatus() {
    return 500;
  }
}
/** A registry.db that is not a readable `feast.core.Registry`, or lacks the asked-for project. */
export class FeastRegistryError extends FeastEdgeError {
  override readonly name = 'FeastRegistryError';
  get httpStatus() {
    return 503;
  }
}
/** A stored `feast.types.Value` that cannot be decoded (a wire type or field feast-edge does not know). */
export class InvalidFeastValueError extends FeastEdgeError {
  override readonly name = 'InvalidFeastValueError';
  get httpStatus() {
    return 503;
  }
}
/**
 * An object of a Feast registry that feast-edge cannot represent. The reader catches it
 * and keeps the object whole with this message as the reason; it never reaches a caller.
 */
export class UnmodeledFeastObject extends FeastEdgeError {
  override readonly name = 'UnmodeledFeastObject';
  get httpStatus() {
    return 500;
  }
}
/** A server that could not start: the port is taken, not a port, or the host cannot be bound. */
export class ServerStartError extends FeastEdgeError {
  override readonly name = 'ServerStartError';
  get httpStatus() {
    return 500;
  }
}
/** A stored online row cannot be read (bytes that are not a row, or a schema id its view does not list); it must be written again. */
export class OnlineStoreRowError extends FeastEdgeError {
  override readonly name = 'OnlineStoreRowError';
  get httpStatus() {
    return 500;
  }
}
/**
 * The online store's own storage failed a write: a full disk (ENOSPC), a quota, a
 * read-only or failing file system. A batch that meets it is written not at all; the
 * server answers 503 and takes the write again once the store can.
 */
export class OnlineStoreFaultError extends FeastEdgeError {
  override readonly name = 'OnlineStoreFaultError';
  get httpStatus() {
    return 503;
  }
}
