import type { Table } from 'apache-arrow';

/**
 * The few duckdb-wasm calls the engine needs, so the blocking Node bindings and the
 * browser's AsyncDuckDB (worker) can both sit behind one engine.
 */
export interface WasmBackend {
  query(sql: string): Promise<Table>;
  /** Creates table `name` from an Arrow IPC stream. */
  insertArrowIPC(name: string, ipc: Uint8Array): Promise<void>;
  registerFileBuffer(name: string, bytes: Uint8Array): Promise<void>;
  dropFile(name: string): Promise<void>;
  close(): Promise<void>;
}

/** Parquet <-> Arrow IPC: the WASM build has no Parquet extension (and must not download one). */
export interface ParquetCodec {
  /** Parquet bytes to an Arrow IPC stream, reading only `columns` when given. */
  readParquet(bytes: Uint8Array, columns?: readonly string[]): Uint8Array;
  /** An Arrow IPC stream to Parquet bytes. */
  writeParquet(ipc: Uint8Array): Uint8Array;
}
