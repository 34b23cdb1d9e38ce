import initParquetWasm, * as parquet from 'parquet-wasm/esm';
import { PARQUET_BATCH_ROWS, type ParquetCodec } from '../../sql/duckdb-wasm/wasm-backend.js';

/** parquet-wasm's browser build, once its .wasm is instantiated. */
export type ParquetWasm = typeof parquet;

let loading: Promise<ParquetWasm> | undefined;

/**
 * Instantiates parquet-wasm from a URL the app serves itself (a Vite `?url` asset), never a CDN.
 * Once per realm: later calls share the first.
 * @example const parquet = await loadParquetWasm(parquetWasmUrl);
 */
export function loadParquetWasm(wasmUrl: string): Promise<ParquetWasm> {
  loading ??= initParquetWasm({ module_or_path: wasmUrl }).then(() => parquet);
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** The engine's Parquet codec over an instantiated parquet-wasm. */
export function parquetWasmCodec(wasm: ParquetWasm): ParquetCodec {
  return {
    readParquet: (bytes, columns) =>
      wasm.readParquet(bytes, { batchSize: PARQUET_BATCH_ROWS, ...(columns && columns.length > 0 ? { columns: [...columns] } : {}) }).intoIPCStream(),
    writeParquet: (ipc) => wasm.writeParquet(wasm.Table.fromIPCStream(ipc)),
  };
}
