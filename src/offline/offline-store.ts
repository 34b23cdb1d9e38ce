import type { Table } from 'apache-arrow';
import type { FeatureView, FileSource, OnDemandFeatureView } from '../definitions/index.js';
import type { RegistryDocument } from '../registry/document.js';
import type { HistoricalFeaturesRequest } from '../retrieval/types.js';
import type { OnlineEntityRows } from '../online/entity-rows.js';
import type { FeatureColumn, TimestampColumn } from '../online/online-store.js';
import type { StreamViewCode } from '../stream/stream-events.js';
import type { SourceData } from '../sql/load-source.js';

/** What a historical retrieval needs besides the request: the registry and the code of its transforms. */
export interface HistoricalContext {
  readonly document: RegistryDocument;
  readonly onDemandCode: ReadonlyMap<string, OnDemandFeatureView>;
  readonly streamCode: ReadonlyMap<string, StreamViewCode>;
}

/** A finished point-in-time join. */
export interface HistoricalResult {
  readonly table: Table;
  /** The request as `view:feature` references. */
  readonly featureRefs: readonly string[];
  /** Entity columns the joins matched on. */
  readonly joinKeys: readonly string[];
  /** The entity dataframe's event timestamp column. */
  readonly timestampColumn: string;
  /** How many hash partitions the join ran in (1: one statement), where the store partitions. */
  readonly partitions?: number;
}

/** The lazy result of a historical retrieval: the join runs on the first accessor, once. */
export interface OfflineRetrievalJob {
  result(): Promise<HistoricalResult>;
  toArrow(): Promise<Table>;
  /** Plain rows; timestamps as Date, int64 as numbers when safe. */
  toRows(): Promise<Record<string, unknown>[]>;
  toCSV(): Promise<Uint8Array>;
  toParquet(): Promise<Uint8Array>;
}

/**
 * One batch of the latest rows per entity key, by column: row i is `joinKeys[k][i]`, its
 * times and features. `featureColumns` and `createdColumn` are the batch as read (numbers
 * in typed arrays, no JS value per cell): what materialization writes. `features` and
 * `createdTimestamps` give the same values as plain arrays, built on first use.
 */
export interface LatestRowsBatch {
  readonly rows: number;
  /** One array per entity column of the view, in its order. */
  readonly joinKeys: readonly (readonly unknown[])[];
  /** Microseconds since the epoch. */
  readonly eventTimestamps: BigInt64Array;
  readonly createdTimestamps: readonly (bigint | null)[];
  readonly features: Readonly<Record<string, readonly unknown[]>>;
  /** Absent when the source has no created column. */
  readonly createdColumn?: TimestampColumn;
  readonly featureColumns: Readonly<Record<string, FeatureColumn>>;
}

/** The rows materialization loads: their count, then the batches (resources are released when iteration ends). */
export interface LatestRows {
  readonly rowCount: number;
  readonly batches: AsyncIterable<LatestRowsBatch>;
}

/** Rows written to one view, for an offline write; extra columns are refused unless allowed (a push shared by views). */
export interface OfflineRowsWrite {
  readonly view: FeatureView;
  readonly rows: OnlineEntityRows;
  readonly allowExtraColumns?: boolean;
}

/** A saved dataset's rows as stored, and what the registry records of them. */
export interface StoredDatasetRows {
  /** Where the rows are (the registry's storage path). */
  readonly path: string;
  readonly rowCount: number;
  /** Microseconds since the epoch, over the entity timestamp column; absent for no rows. */
  readonly minEventTimestamp?: bigint;
  readonly maxEventTimestamp?: bigint;
}

/** Per-feature statistics of a view's source rows. */
export interface FeatureStatistics {
  readonly name: string;
  readonly type: string;
  readonly rows: number;
  readonly nullShare: number;
  readonly distinct: number;
  readonly min?: number | string;
  readonly max?: number | string;
  readonly mean?: number;
  readonly histogram?: readonly { readonly from: number; readonly to: number; readonly count: number }[];
  readonly overTime?: readonly { readonly at: string; readonly mean: number | null }[];
}

/** A look at a view's source: its size, each feature's statistics, and its first rows. */
export interface FeatureViewPreview {
  readonly rowCount: number;
  readonly features: readonly FeatureStatistics[];
  readonly firstRows: Table;
}

/**
 * The offline half of a feature store, split as Feast splits it: point-in-time joins for
 * training sets, the latest row per key for materialization, appends (pushes and
 * offline writes), exports and saved datasets. One implementation runs on DuckDB
 * (`createDuckDbOfflineStore`, native or WASM); an online-only deployment has none.
 */
export interface OfflineStore {
  readonly name: string;
  /** Feast's get_historical_features: every entity row kept, each view's latest row at or before its time, within the ttl. */
  getHistoricalFeatures(request: HistoricalFeaturesRequest, context: HistoricalContext): OfflineRetrievalJob;
  /** Feast's pull_latest_from_table_or_query: per entity key, the latest row with start <= event time <= end. */
  pullLatest(view: FeatureView, start: bigint, end: bigint, options?: { batchRows?: number }): Promise<LatestRows>;
  /**
   * Checks each view against its source's data (columns, types, the timestamp field);
   * a mismatch throws DataSourceColumnError naming the source, the column and what the data holds.
   */
  checkSources(views: readonly FeatureView[], options?: { skipMissingData?: boolean }): Promise<void>;
  /** Feast's offline_write_batch: checks every row, then appends them to `source` as one part, or nothing. */
  writeRows(source: FileSource, writes: readonly OfflineRowsWrite[]): Promise<void>;
  /** Keeps a retrieval's rows as a saved dataset's data. */
  saveDataset(name: string, result: HistoricalResult): Promise<StoredDatasetRows>;
  readDataset(path: string): Promise<Table>;
  /** Statistics and the first rows of a view's source. */
  previewFeatureView(view: FeatureView, options?: { bins?: number; firstRows?: number }): Promise<FeatureViewPreview>;
  /** Supplies a file source's rows (Arrow, or Parquet/CSV bytes) instead of reading its path. */
  registerSourceData(sourceName: string, data: SourceData): void;
  close(): Promise<void>;
}
