/**
 * Stands in for src/store/offline-operations.ts in the edge bundle (vite.edge.config.ts
 * swaps it in), so the Worker carries no Arrow, DuckDB or Parquet code. Every export has
 * the real module's name and throws a clear error instead.
 */
import type * as real from '../src/store/offline-operations.js';
import { offlineUnavailable } from './edge-offline.js';

const unavailable = (operation: string) => (): never => { throw offlineUnavailable(operation); };

export const retrieveHistorical: typeof real.retrieveHistorical = unavailable('getHistoricalFeatures');
export const exportTable: typeof real.exportTable = unavailable('exportTable');
export const materializeViews: typeof real.materializeViews = unavailable('materialize');
export const materializeIncrementalViews: typeof real.materializeIncrementalViews = unavailable('materializeIncremental');
export const offlinePart: typeof real.offlinePart = unavailable('writeToOfflineStore');

export class HistoricalRetrievalJob {
  constructor() {
    throw offlineUnavailable('getHistoricalFeatures');
  }
}
