import { FeastEdgeError } from '../definitions/errors.js';

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
