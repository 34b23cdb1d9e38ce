import { FeastEdgeError } from '../errors.js';

/** The JSON body of every error answer: the Feast exception's name, a message, the status. */
export interface ErrorBody {
  readonly type: string;
  readonly message: string;
  readonly status_code: number;
}

/** A request refused before it reached the store (bad body, auth, size). */
export class HttpRequestError extends FeastEdgeError {
  constructor(name: string, message: string, readonly status: 400 | 401 | 403 | 404 | 413 | 415 | 422) {
    super(name, message);
  }
}

/**
 * The HTTP status of an error. Like Feast's server: objects that do not exist are 404,
 * other errors of the request's making 422; anything else is the server's own failure.
 */
export function statusOf(error: unknown): number {
  if (error instanceof HttpRequestError) return error.status;
  if (error instanceof FeastEdgeError) {
    // Registry objects that do not exist; missing request data is the request's fault (422).
    if (/^(FeastObject|Entity|DataSource|DataSourceObject|FeatureView|OnDemandFeatureView|Feature|FeatureService|PushSource|Project|SavedDataset)NotFound/.test(error.name)) return 404;
    if (/VersionConflict|ReadOnly|StoreError|ConnectionError/.test(error.name)) return 503;
    // What this deployment cannot do (no SQL engine at the edge or in a Service Worker).
    if (error.name === 'OfflineStoreUnavailableError' || error.name === 'NoSqlEngineError') return 501;
    return 422;
  }
  return 500;
}

export function errorBody(error: unknown): ErrorBody {
  const status = statusOf(error);
  if (error instanceof FeastEdgeError) return { type: error.name, message: error.message, status_code: status };
  // An unexpected failure: say so without leaking internals.
  return { type: 'InternalServerError', message: 'the server failed to answer this request; see its log', status_code: status };
}
