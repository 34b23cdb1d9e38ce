/**
 * Everything the facade does with the SQL engine and Arrow, in one module the facade
 * imports on first use: online-only deployments (the edge worker, a Service Worker)
 * then never load Arrow or the retrieval code.
 */
export { retrieveHistorical } from '../offline/historical-retrieval.js';
export { exportTable, HistoricalRetrievalJob } from '../offline/retrieval-job.js';
export { materializeIncrementalViews, materializeViews } from './materialize.js';
export { offlinePart } from './offline-write.js';
