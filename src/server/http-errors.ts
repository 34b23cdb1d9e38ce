import { FeastEdgeError, RequestValidationError } from '../errors.js';

/**
 * Feast's exception classes (`feast.errors`) that a feast-edge error of the same name
 * stands for. Feast's server sends one of these as a JSON string holding
 * `{"module", "class", "message"}`, from which its Python SDK raises that very class
 * (`FeastError.from_error_detail`); any other failure is the message alone.
 */
const FEAST_ERRORS = new Set([
  'ConflictingFeatureViewNames',
  'DataSourceNotFoundException',
  'DataSourceObjectNotFoundException',
  'DataSourceRepeatNamesException',
  'EntityNotFoundException',
  'EntityTimestampInferenceException',
  'FeastEntityDFMissingColumnsError',
  'FeastObjectNotFoundException',
  'FeastPermissionError',
  'FeatureNameCollisionError',
  'FeatureServiceNotFoundException',
  'FeatureViewNotFoundException',
  'OnDemandFeatureViewNotFoundException',
  'ProjectNotFoundException',
  'PushSourceNotFoundException',
  'RequestDataNotFoundInEntityDfException',
  'RequestDataNotFoundInEntityRowsException',
  'SavedDatasetNotFound',
]);

/** feast-edge errors that Feast raises under another class. */
const FEAST_CLASS_OF: Readonly<Record<string, string>> = { PermissionDeniedError: 'FeastPermissionError' };

/** An error answer: the status, the body's JSON text as Feast's server writes it, and feast-edge's class name. */
export interface ErrorAnswer {
  readonly status: number;
  readonly body: string;
  /** feast-edge's error class (sent as the X-Feast-Edge-Error header; Feast's body has no room for it). */
  readonly type: string;
}

/**
 * The HTTP status of an error: each error class carries its own (Feast's where Feast
 * answers a 4xx, a 4xx where Feast answers 500 to a bad request); anything that is not
 * a FeastEdgeError is the server's own failure.
 */
export function statusOf(error: unknown): number {
  if (error instanceof FeastEdgeError) return error.httpStatus;
  return storageFaultOf(error) ? 503 : 500;
}

/** System error codes that mean a store's storage failed, not the request: a fault the server outlives. */
const STORAGE_FAULTS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
};

/** `no space left on device (ENOSPC)` for a storage failure that no store mapped to its own error, else undefined. */
function storageFaultOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && Object.hasOwn(STORAGE_FAULTS, code) ? `${STORAGE_FAULTS[code]} (${code})` : undefined;
}

/** A string as Python's json.dumps writes it by default (ensure_ascii: everything outside printable ASCII escaped). */
function pythonJsonString(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Feast's `FeastError.to_error_detail()`: `json.dumps({"module", "class", "message"})`. */
export function feastErrorDetail(className: string, message: string): string {
  return `{"module": "feast.errors", "class": ${pythonJsonString(className)}, "message": ${pythonJsonString(message)}}`;
}

/** The Feast class an error is answered as, if Feast has one for it. */
export function feastClassOf(error: FeastEdgeError): string | undefined {
  return FEAST_CLASS_OF[error.name] ?? (FEAST_ERRORS.has(error.name) ? error.name : undefined);
}

/**
 * What Feast's server would send for `error`: a FeastError as the JSON string of its
 * error detail, a request that fails the route's model as FastAPI's `{"detail": [...]}`,
 * anything else as its message in a JSON string. `feastClass` answers a not-found error
 * under the class Feast raises on that route (write-to-online-store: FeastObjectNotFoundException).
 */
export function errorAnswer(error: unknown, feastClass?: string): ErrorAnswer {
  const status = statusOf(error);
  const fault = error instanceof FeastEdgeError ? undefined : storageFaultOf(error);
  if (fault) {
    // A store's storage failed (a full disk): 503, as for the stores' own faults; the path stays in the log.
    return { status, body: JSON.stringify(`a store of the server failed: ${fault}; send the request again once the storage is mended`), type: 'StoreFault' };
  }
  if (!(error instanceof FeastEdgeError)) {
    // An unexpected failure: say so without leaking internals.
    return { status, body: JSON.stringify('the server failed to answer this request; see its log'), type: 'InternalServerError' };
  }
  if (error instanceof RequestValidationError && error.detail) return { status, body: JSON.stringify({ detail: error.detail }), type: error.name };
  const className = feastClass ?? feastClassOf(error);
  const text = className ? feastErrorDetail(className, error.message) : error.message;
  return { status, body: JSON.stringify(text), type: error.name };
}

/** An error answer as a Response. */
export function errorResponse(answer: ErrorAnswer, headers: Record<string, string> = {}): Response {
  return new Response(answer.body, {
    status: answer.status,
    headers: { 'content-type': 'application/json', 'x-feast-edge-error': answer.type, ...headers },
  });
}
