import type { Table } from 'apache-arrow';
import type { FeatureService } from '../definitions/index.js';
import type { SavedDataset } from '../registry/document.js';

/** One entity row: join keys, an event timestamp, and any request data. */
export type EntityRow = Record<string, unknown>;

/**
 * The entity dataframe of a historical retrieval: rows, an Arrow table, a CSV/Parquet
 * path or URL (`{ path }`), file bytes (`{ bytes, format }`), or a SQL query (`{ sql }`)
 * over registered views.
 */
export type EntityDf =
  | readonly EntityRow[]
  | Table
  | { readonly path: string; readonly format?: 'parquet' | 'csv' }
  | { readonly bytes: Uint8Array; readonly format: 'parquet' | 'csv' }
  | { readonly sql: string };

export interface HistoricalFeaturesRequest {
  entityDf: EntityDf;
  /** Feature references `view:feature`; give this or `featureService`. */
  features?: readonly string[];
  featureService?: string | FeatureService;
  fullFeatureNames?: boolean;
  /** Also require `created <= entity timestamp` (Feast's filter_by_created_timestamp). */
  filterByCreatedTimestamp?: boolean;
}

/** The lazy result of a historical retrieval. Runs once; every accessor reuses the result. */
export interface RetrievalJob {
  toArrow(): Promise<Table>;
  /** Plain rows; timestamps as Date (Arrow and files keep microseconds). */
  toRows(): Promise<Record<string, unknown>[]>;
  toCSV(): Promise<Uint8Array>;
  toParquet(): Promise<Uint8Array>;
  /** Saves the result as a dataset in the registry; its rows can be read back. */
  persist(name: string, options?: { tags?: Record<string, string>; allowOverwrite?: boolean }): Promise<SavedDataset>;
}
