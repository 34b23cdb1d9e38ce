import type { Table } from 'apache-arrow';
import type { FeatureView, FileSource } from '../../definitions/index.js';
import { ConfigurationError } from '../../errors.js';
import type { HistoricalFeaturesRequest } from '../../retrieval/types.js';
import { describeColumns } from '../../sql/describe.js';
import { loadSource, neededColumns, type SourceData } from '../../sql/load-source.js';
import { sourceColumn, timestampExpr } from '../../sql/source-columns.js';
import { urlSourceLoader, type SourceLoader } from '../../sql/source-loader.js';
import { quoteIdent as q, type SqlEngine } from '../../sql/sql-engine.js';
import { MemoryDatasetStorage, type DatasetStorage } from '../dataset-storage.js';
import { MemoryOfflineAppends, type OfflineAppendStorage } from '../offline-appends.js';
import type {
  FeatureViewPreview,
  HistoricalContext,
  HistoricalResult,
  LatestRows,
  OfflineRetrievalJob,
  OfflineRowsWrite,
  OfflineStore,
  StoredDatasetRows,
} from '../offline-store.js';
import { featureStatistics } from './feature-statistics.js';
import { retrieveHistorical } from './historical-retrieval.js';
import { pullLatestRows } from './latest-rows.js';
import { checkViewSources } from './source-check.js';
import { offlinePart } from './offline-part.js';
import { checkPartitionOption, type PartitionOption } from './partition-count.js';
import { exportTable, HistoricalRetrievalJob } from './retrieval-job.js';
import type { SourceReading } from './source-reading.js';

export interface DuckDbOfflineStoreOptions {
  /** Opens the SQL engine on first use (DuckDB native or WASM); called once. */
  engine: () => Promise<SqlEngine>;
  /** How file sources' paths are read in this runtime; default fetches http(s) URLs. */
  sources?: SourceLoader;
  /** Where saved datasets' rows go; default memory. */
  datasets?: DatasetStorage;
  /** Where rows written to the offline store (push, writeToOfflineStore, ingest) go; default memory. */
  appends?: OfflineAppendStorage;
  /** Point-in-time plan: 'asof' (default) or 'window' (Feast's range join + ROW_NUMBER). */
  joinStrategy?: 'asof' | 'window';
  /**
   * Hash partitions of a historical retrieval's join: 'auto' (default) keeps one pass on
   * native DuckDB (it spills to disk) and, on DuckDB-WASM, as many as its memory limit
   * needs; a number forces that many on any engine.
   */
  partitions?: PartitionOption;
}

let previews = 0;

/**
 * The offline store over DuckDB: every operation is SQL on one engine, which is opened
 * on first use. Sources are read where they are (files, URLs, registered data) together
 * with the parts appended to them.
 * @example createDuckDbOfflineStore({ engine: () => createNodeEngine(), sources: nodeSourceLoader('feature_repo') })
 */
export class DuckDbOfflineStore implements OfflineStore {
  readonly name = 'duckdb';
  readonly #options: DuckDbOfflineStoreOptions;
  readonly #sourceData = new Map<string, SourceData>();
  readonly #datasets: DatasetStorage;
  readonly #appends: OfflineAppendStorage;
  readonly #reading: SourceReading;
  readonly #partitions: PartitionOption;
  #engine?: Promise<SqlEngine>;

  constructor(options: DuckDbOfflineStoreOptions) {
    this.#options = options;
    this.#partitions = checkPartitionOption(options.partitions, 'createDuckDbOfflineStore: partitions');
    this.#datasets = options.datasets ?? new MemoryDatasetStorage();
    this.#appends = options.appends ?? new MemoryOfflineAppends();
    const base = options.sources ?? urlSourceLoader;
    this.#reading = {
      engine: () => this.engine(),
      sources: { load: (engine, view, source, columns) => base.load(engine, view, source, columns), parts: (source) => this.#appends.parts(source) },
      sourceData: this.#sourceData,
    };
  }

  /** The SQL engine, opened once on first use. */
  engine(): Promise<SqlEngine> {
    return (this.#engine ??= this.#options.engine());
  }

  getHistoricalFeatures(request: HistoricalFeaturesRequest, context: HistoricalContext): OfflineRetrievalJob {
    return new HistoricalRetrievalJob(
      async () =>
        retrieveHistorical(
          {
            engine: await this.engine(),
            document: context.document,
            sources: this.#reading.sources,
            sourceData: this.#sourceData,
            onDemandCode: context.onDemandCode,
            streamCode: context.streamCode,
            strategy: this.#options.joinStrategy,
            partitions: this.#partitions,
          },
          request,
        ),
      () => this.engine(),
    );
  }

  pullLatest(view: FeatureView, start: bigint, end: bigint, options: { batchRows?: number } = {}): Promise<LatestRows> {
    return pullLatestRows(this.#reading, view, start, end, options.batchRows);
  }

  checkSources(views: readonly FeatureView[], options: { skipMissingData?: boolean } = {}): Promise<void> {
    return checkViewSources(this.#reading, views, options);
  }

  async writeRows(source: FileSource, writes: readonly OfflineRowsWrite[]): Promise<void> {
    const part = await offlinePart({ engine: await this.engine(), sources: this.#reading.sources, sourceData: this.#sourceData }, source, writes);
    await this.#appends.append(source, part);
  }

  async saveDataset(name: string, result: HistoricalResult): Promise<StoredDatasetRows> {
    const { table } = result;
    const path = await this.#datasets.write(name, await exportTable(await this.engine(), table, 'parquet'));
    const timestamps = table.getChild(result.timestampColumn);
    let min: bigint | undefined;
    let max: bigint | undefined;
    if (timestamps && String(timestamps.type).startsWith('Timestamp')) {
      for (const chunk of timestamps.data) {
        const values = chunk.values as unknown as BigInt64Array;
        for (let i = 0; i < chunk.length; i++) {
          if (!chunk.getValid(i)) continue;
          const v = values[i];
          if (min === undefined || v < min) min = v;
          if (max === undefined || v > max) max = v;
        }
      }
    }
    return { path, rowCount: table.numRows, ...(min !== undefined ? { minEventTimestamp: min, maxEventTimestamp: max } : {}) };
  }

  async readDataset(path: string): Promise<Table> {
    const engine = await this.engine();
    const view = `__saved_${++previews}`;
    await engine.registerBytes(view, await this.#datasets.read(path), 'parquet');
    try {
      return await engine.query(`SELECT * FROM ${q(view)}`);
    } finally {
      await engine.unregister(view);
    }
  }

  async previewFeatureView(view: FeatureView, options: { bins?: number; firstRows?: number } = {}): Promise<FeatureViewPreview> {
    const engine = await this.engine();
    const sourceView = `__preview_${++previews}`;
    const extra = await loadSource(
      engine,
      this.#reading.sources,
      this.#sourceData,
      view.batchSource,
      sourceView,
      neededColumns([{ view, columns: view.features.map((f) => ({ feature: f.name })) }]),
    );
    try {
      const types = await describeColumns(engine, { view: sourceView });
      const { rowCount, features } = await featureStatistics(engine, view, sourceView, types, Math.max(1, Math.floor(options.bins ?? 20)));
      const source = view.batchSource;
      const columns = [
        ...view.entityColumns.map((c) => `${q(sourceColumn(view, c.name))} AS ${q(c.name)}`),
        `${timestampExpr(source.timestampField, types.get(source.timestampField))} AS ${q(source.timestampField)}`,
        ...view.features.map((f) => `${q(sourceColumn(view, f.name))} AS ${q(f.name)}`),
      ];
      const firstRows = await engine.query(`SELECT ${columns.join(', ')} FROM ${q(sourceView)} LIMIT ${Math.max(0, Math.floor(options.firstRows ?? 10))}`);
      return { rowCount, features, firstRows };
    } finally {
      await engine.unregister(sourceView);
      for (const name of extra) await engine.unregister(name);
    }
  }

  registerSourceData(sourceName: string, data: SourceData): void {
    this.#sourceData.set(sourceName, data);
  }

  async close(): Promise<void> {
    const engine = this.#engine;
    this.#engine = undefined;
    if (engine) await (await engine).close();
  }
}

/** Creates the DuckDB offline store. */
export function createDuckDbOfflineStore(options: DuckDbOfflineStoreOptions): DuckDbOfflineStore {
  if (typeof options?.engine !== 'function') {
    throw new ConfigurationError('createDuckDbOfflineStore: engine must be a function that opens the SQL engine, e.g. () => createNodeEngine()');
  }
  return new DuckDbOfflineStore(options);
}
