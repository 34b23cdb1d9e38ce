/**
 * What a page can ask of the feature store running in a Web Worker
 * (targets/feature-store.worker.ts), through `connectFeatureStore(worker)`. Every argument
 * and result is structured-clonable; tabular results cross as Arrow IPC stream bytes in a
 * transferred ArrayBuffer (decode with apache-arrow's `tableFromIPC`), never as JSON rows.
 * Long work takes `{ onProgress, signal }`, plain: a comlink transfer handler that
 * connectFeatureStore and hostFeatureStore register proxies the callback (it runs on the
 * page) and carries the signal over a MessagePort (it cancels the work in the worker).
 */
import type { FeatureService } from '../../definitions/index.js';
import type { OnlineWireResponse } from '../../online/online-response.js';
import type { RegistryDiff } from '../../registry/apply-types.js';
import type { RegistryDocument, SavedDataset } from '../../registry/document.js';
import type { IngestResult } from '../../stream/stream-ingest.js';
import type { PushResult } from '../../store/feature-store.js';
import type { FeatureStatistics } from '../../offline/offline-store.js';
import type { BrowserEntityDf } from './worker-entity-df.js';

export type { FeatureStatistics };

/** Rows (one object per row), a file's bytes, a picked File/Blob, a URL, or SQL over registered sources. */
export type WorkerEntityDf = BrowserEntityDf;

export interface WorkerHistoricalRequest {
  readonly entityDf: WorkerEntityDf;
  readonly features?: readonly string[];
  readonly featureService?: string;
  readonly fullFeatureNames?: boolean;
  readonly filterByCreatedTimestamp?: boolean;
}

/** A table that crossed the worker boundary: Arrow IPC stream bytes (transferred, not copied). */
export interface ArrowIpcResult {
  readonly ipc: Uint8Array;
  readonly numRows: number;
  readonly columns: readonly string[];
  /** Time spent in the worker computing the result, ms. */
  readonly elapsedMs: number;
}

/** Where a file source's rows come from in the browser. */
export type SourceInput =
  | { readonly file: Blob; readonly format?: 'parquet' | 'csv' }
  | { readonly bytes: Uint8Array; readonly format: 'parquet' | 'csv' }
  /** Parquet over HTTP read with range requests, only the columns a query needs; CSV fetched whole. */
  | { readonly url: string; readonly format?: 'parquet' | 'csv' }
  /** A file in the origin private file system, by path ('data/driver_stats.parquet'). */
  | { readonly opfsPath: string; readonly format?: 'parquet' | 'csv' };

export interface Progress {
  /** e.g. 'materialize driver_hourly_stats' or 'historical retrieval'. */
  readonly step: string;
  readonly done: number;
  /** Unknown totals are undefined. */
  readonly total?: number;
}

export interface LongWork {
  readonly onProgress?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
}

export interface FeatureViewPreview {
  readonly view: string;
  readonly rowCount: number;
  /** The first rows of the source (join keys, timestamp, features). */
  readonly firstRows: ArrowIpcResult;
  readonly features: readonly FeatureStatistics[];
}

/**
 * The worker's online store: IndexedDB (the default), or Feast's SQLite file
 * (`online_store.db`, Feast's own layout) over sql.js, kept in OPFS or IndexedDB so a
 * reload serves what the last visit wrote. It needs `assets.sqlJsWasm` in the worker.
 */
export type WorkerOnlineStore =
  | { readonly type: 'indexeddb' }
  | {
      readonly type: 'feast-sqlite';
      /** Feast's online_store.db (a picked File, or bytes): it replaces the kept copy. Absent: the kept copy, else a new database. */
      readonly file?: Blob | Uint8Array;
      /** Where the database is kept between visits; default OPFS where the browser can write it, else IndexedDB. */
      readonly keepIn?: 'opfs' | 'indexeddb';
      /** The name it is kept under (default 'feast-edge/online_store.db'). */
      readonly name?: string;
    };

export interface OpenOptions {
  /**
   * The project to serve; default the definitions module's `project()` export. The
   * definitions (and their transforms) serve only their own project, or any project when
   * the module exports no `project()`: another project serves its stored registry alone.
   */
  readonly project?: string;
  /** Default `{ type: 'indexeddb' }` (database `onlineDatabase`). */
  readonly onlineStore?: WorkerOnlineStore;
  /** IndexedDB database names (defaults 'feast-edge-registry', 'feast-edge-online', 'feast-edge-offline'). */
  readonly registryDatabase?: string;
  readonly onlineDatabase?: string;
  readonly offlineDatabase?: string;
  /** Base URL that relative file-source paths resolve against (default the worker's origin). */
  readonly sourceBaseUrl?: string;
}

/** A file kept for a file source across reloads (`registerSource(name, input, { keep: true })`). */
export interface KeptSource {
  readonly source: string;
  /** The picked file's name, or the last part of the URL or OPFS path kept. */
  readonly fileName: string;
  readonly format: 'parquet' | 'csv';
  /** Size of the kept copy in bytes; 0 for a URL or an OPFS path, kept as the reference alone. */
  readonly bytes: number;
  /** Where the copy is: the origin private file system, or IndexedDB where the browser has no writable OPFS. */
  readonly keptIn: 'opfs' | 'indexeddb';
}

export interface OpenResult {
  readonly project: string;
  /** Names of the transforms (on-demand views) whose source hash matches the registry. */
  readonly transforms: readonly string[];
  /** The online store serving: 'indexeddb', or 'feast-sqlite' with where it is kept and where its rows came from. */
  readonly onlineStore:
    | { readonly type: 'indexeddb' }
    | { readonly type: 'feast-sqlite'; readonly keptIn: 'opfs' | 'indexeddb'; readonly from: 'file' | 'kept' | 'new' };
  /** Files kept for the project's sources by an earlier visit, registered again by this open. */
  readonly keptSources: readonly KeptSource[];
}

export interface FeatureStoreWorkerApi {
  /**
   * Opens the registry, online store and offline appends in IndexedDB. Refuses (TransformMismatchError)
   * a stored registry whose on-demand transforms' source hashes differ from the loaded definitions, naming them.
   */
  open(options?: OpenOptions): Promise<OpenResult>;
  /** Applies the definitions module the worker was built with (records each transform's source hash). */
  apply(): Promise<RegistryDiff>;
  /**
   * Serves the definitions' own project as on a first visit: the stored registry (with
   * whatever was applied or imported over it), the online rows of every view it listed, the
   * offline appends of its file sources and the files kept for them are deleted, then the
   * definitions are applied. Refuses (ValueError) a project the definitions do not define.
   */
  restoreDefinitions(): Promise<RegistryDiff>;
  /**
   * Replaces the project's registry with a user's registry.json (Feast objects without
   * code: on-demand views run only with a loaded transform of the same name). When the
   * document is another project's, the worker first opens that project (the open options
   * otherwise kept; a Feast SQLite file given before stays as kept).
   */
  importRegistry(document: RegistryDocument): Promise<OpenResult>;
  /**
   * The same for Feast's own registry (`registry.db`, bytes or a picked File), converted in
   * the worker; `project` chooses one of several. Python on-demand views are listed and
   * marked `transformLanguage: 'python'`: requesting their features needs a TypeScript transform.
   */
  importFeastRegistry(registry: Uint8Array | Blob, options?: { readonly project?: string }): Promise<OpenResult>;
  registryDocument(): Promise<RegistryDocument>;
  /**
   * Makes a file source read its rows from the given input instead of its path. With
   * `keep`, the input is kept for the project across reloads (a File or bytes copied into
   * OPFS, else IndexedDB; a URL or OPFS path as the reference), and open() registers it again.
   */
  registerSource(sourceName: string, input: SourceInput, options?: { readonly keep?: boolean }): Promise<KeptSource | undefined>;
  /** The files kept for the open project's sources. */
  keptSources(): Promise<KeptSource[]>;
  /** Drops what was registered for the open project's sources, and deletes the files kept for them. */
  forgetSources(): Promise<void>;
  previewFeatureView(viewName: string, options?: { readonly firstRows?: number; readonly bins?: number }): Promise<FeatureViewPreview>;
  getHistoricalFeatures(request: WorkerHistoricalRequest, work?: LongWork): Promise<ArrowIpcResult>;
  /** The same retrieval written as a file (bytes transferred). */
  exportHistoricalFeatures(request: WorkerHistoricalRequest, format: 'csv' | 'parquet', work?: LongWork): Promise<Uint8Array>;
  saveDataset(
    request: WorkerHistoricalRequest,
    name: string,
    options?: { readonly tags?: Record<string, string>; readonly allowOverwrite?: boolean },
  ): Promise<SavedDataset>;
  readSavedDataset(name: string): Promise<ArrowIpcResult>;
  materialize(
    options: { readonly start: string; readonly end: string; readonly featureViews?: readonly string[] },
    work?: LongWork,
  ): Promise<{ view: string; rows: number }[]>;
  materializeIncremental(
    options: { readonly end: string; readonly featureViews?: readonly string[] },
    work?: LongWork,
  ): Promise<{ view: string; rows: number }[]>;
  /** Feast's wire response, plus the time the lookup took inside the worker. */
  getOnlineFeatures(request: {
    readonly features?: readonly string[];
    readonly featureService?: string | FeatureService;
    readonly entityRows: readonly Record<string, unknown>[];
    readonly fullFeatureNames?: boolean;
    /** The instant ttls are measured from (ISO 8601); default now. */
    readonly now?: string;
  }): Promise<{ readonly response: OnlineWireResponse; readonly lookupMs: number }>;
  /** Feast's push; stream feature views reading the push source count their late events in the result. */
  push(
    pushSourceName: string,
    rows: readonly Record<string, unknown>[],
    options?: { readonly to?: 'online' | 'offline' | 'online_and_offline' },
  ): Promise<PushResult>;
  writeToOnlineStore(viewName: string, rows: readonly Record<string, unknown>[]): Promise<{ written: number; skipped: number }>;
  /**
   * Feeds events to a stream feature view: each batch is appended offline, then applied to
   * the online tiles; late events are counted, not applied online. Progress counts events;
   * an abort stops before the next batch (batches already written stay written).
   */
  ingest(viewName: string, events: readonly Record<string, unknown>[], options?: { readonly batchSize?: number }, work?: LongWork): Promise<IngestResult>;
  close(): Promise<void>;
}
