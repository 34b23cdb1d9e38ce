/**
 * The worker's SQL engine: DuckDB-WASM's AsyncDuckDB in a worker of its own (so a long
 * join can be cancelled, and the feature-store worker keeps answering online reads),
 * with parquet-wasm as its Parquet codec. Instantiated here, in the deployable entry,
 * so the portable core never imports DuckDB.
 */
import { AsyncDuckDB, VoidLogger } from '@duckdb/duckdb-wasm';
import { WasmDuckDBEngine } from '../../sql/duckdb-wasm/duckdb-wasm-engine.js';
import type { SqlEngine } from '../../sql/sql-engine.js';
import { AsyncDuckDbBackend } from './async-duckdb-backend.js';
import { loadParquetWasm, parquetWasmCodec } from './parquet-wasm-codec.js';

/** The .wasm and worker files, as URLs on the app's own origin (Vite `?url` imports), never a CDN. */
export interface BrowserEngineAssets {
  readonly duckdbWasm: string;
  /** duckdb-browser-eh.worker.js (or -mvp, matching duckdbWasm). */
  readonly duckdbWorker?: string;
  readonly parquetWasm: string;
}

export interface BrowserEngine {
  readonly engine: SqlEngine;
  /** Binds a job's queries to its AbortSignal (see AsyncDuckDbBackend.withSignal). */
  readonly backend: AsyncDuckDbBackend;
}

/**
 * DuckDB-WASM (AsyncDuckDB in its own worker) with parquet-wasm as its Parquet codec.
 * @example const { engine } = await openBrowserEngine({ duckdbWasm, duckdbWorker, parquetWasm });
 */
export async function openBrowserEngine(assets: BrowserEngineAssets): Promise<BrowserEngine> {
  if (!assets.duckdbWorker) {
    throw new TypeError(
      "assets.duckdbWorker: expected the URL of DuckDB-WASM's worker script (import duckdbWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url')",
    );
  }
  const [backend, parquet] = await Promise.all([openAsyncDuckDb(assets.duckdbWasm, assets.duckdbWorker), loadParquetWasm(assets.parquetWasm)]);
  return { backend, engine: await WasmDuckDBEngine.open({ backend, parquet: parquetWasmCodec(parquet) }) };
}

/** AsyncDuckDB in a worker of its own, from the app's files: the feature-store worker stays free while DuckDB runs. */
async function openAsyncDuckDb(wasmUrl: string, workerUrl: string): Promise<AsyncDuckDbBackend> {
  const db = new AsyncDuckDB(new VoidLogger(), new Worker(workerUrl));
  try {
    await db.instantiate(wasmUrl);
    return await AsyncDuckDbBackend.connect(db);
  } catch (error) {
    await db.terminate();
    throw error;
  }
}
