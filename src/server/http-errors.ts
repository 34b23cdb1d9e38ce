import { FeastEdgeError } from '../errors.js';

/** The JSON body of every error answer: the Feast exception's name, a message, the status. */
export interface ErrorBody {
  readonly type: string;
  readonly message: string;
  readonly status_code: number;
}

/**
 * The HTTP status of an error: each error class carries its own (objects that do not
 * exist 404, input of the request's making 422, like Feast's server); anything that is
 * not a FeastEdgeError is the server's own failure.
 */
export function statusOf(error: unknown): number {
  return error instanceof FeastEdgeError ? error.httpStatus : 500;
}

export function errorBody(error: unknown): ErrorBody {
  const status = statusOf(error);
  if (error instanceof FeastEdgeError) return { type: error.name, message: error.message, status_code: status };
  // An unexpected failure: say so without leaking internals.
  return { type: 'InternalServerError', message: 'the server failed to answer this request; see its log', status_code: status };
}
