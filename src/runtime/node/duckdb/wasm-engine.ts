import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createDuckDB, NODE_RUNTIME, VoidLogger } from '@duckdb/duckdb-wasm/blocking';
import { tableFromIPC, type Table } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { WasmDuckDBEngine } from '../../../sql/duckdb-wasm/duckdb-wasm-engine.js';
import { PARQUET_BATCH_ROWS, type ParquetCodec, type WasmBackend } from '../../../sql/duckdb-wasm/wasm-backend.js';
import type { SqlEngine } from '../../../sql/sql-engine.js';

/** parquet-wasm's Node build as the engine's Parquet codec. */
export const nodeParquetCodec: ParquetCodec = {
  readParquet: (bytes, columns) =>
    parquet.readParquet(bytes, { batchSize: PARQUET_BATCH_ROWS, ...(columns && columns.length > 0 ? { columns: [...columns] } : {}) }).intoIPCStream(),
  writeParquet: (ipc) => parquet.writeParquet(parquet.Table.fromIPCStream(ipc)),
};

/** The .wasm files shipped in node_modules: never a CDN. */
function bundlePaths() {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm'));
  return {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
  };
}

/** DuckDB-WASM in Node through the blocking bindings (no worker thread needed). */
export async function createWasmEngine(): Promise<SqlEngine> {
  const db = await createDuckDB(bundlePaths(), new VoidLogger(), NODE_RUNTIME);
  await db.instantiate();
  const connection = db.connect();
  // The blocking bindings are CommonJS and build results with apache-arrow's CJS copy;
  // our ESM code cannot use those objects (instanceof fails), so results cross as IPC.
  const arrowCjs = createRequire(import.meta.url)('apache-arrow') as { tableToIPC(t: unknown, type: 'stream'): Uint8Array };
  const backend: WasmBackend = {
    query: async (sql): Promise<Table> => tableFromIPC(arrowCjs.tableToIPC(connection.query(sql), 'stream')),
    insertArrowIPC: async (name, ipc) => connection.insertArrowFromIPCStream(ipc, { name, create: true }),
    registerFileBuffer: async (name, bytes) => db.registerFileBuffer(name, bytes),
    dropFile: async (name) => db.dropFile(name),
    close: async () => {
      connection.close();
      db.reset();
    },
  };
  return WasmDuckDBEngine.open({ backend, parquet: nodeParquetCodec, readFile: async (path) => new Uint8Array(await readFile(path)) });
}
