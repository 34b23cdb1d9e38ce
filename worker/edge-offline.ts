import { FeastEdgeError } from '../src/definitions/errors.js';

/** The message every offline operation answers with in an online-only deployment. */
export const OFFLINE_UNAVAILABLE_MESSAGE =
  'historical retrieval and materialization are not available at the edge; run them in Node or a browser worker';

/**
 * Why an offline operation cannot run here: a FeastEdgeError, so the feature server
 * answers it as a JSON error naming the limitation (not an opaque 500).
 */
export function offlineUnavailable(operation?: string): FeastEdgeError {
  return new FeastEdgeError('OfflineStoreUnavailableError', operation ? `${operation}: ${OFFLINE_UNAVAILABLE_MESSAGE}` : OFFLINE_UNAVAILABLE_MESSAGE);
}
