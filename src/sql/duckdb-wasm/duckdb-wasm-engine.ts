import { tableFromIPC, type Table } from 'apache-arrow';
import type { FileFormat } from '../../definitions/index.js';
import { tableToCsv } from '../../arrow/csv-writer.js';
import { quoteIdent, quoteLiteral, type SqlEngine } from '../sql-engine.js';
import type { ParquetCodec, WasmBackend } from './wasm-backend.js';
import { tableToIpcStream } from '../../arrow/ipc.js';

export interface WasmEngineOptions {
  backend: WasmBackend;
  parquet: ParquetCodec;
  /** Reads a local path; absent in runtimes with no file system (browsers use URLs and bytes). */
  readFile?: (path: string) => Promise<Uint8Array>;
}

/**
 * DuckDB-WASM behind the SqlEngine contract. Portable: no Node built-ins. Parquet crosses
 * as Arrow IPC through the injected codec; CSV uses DuckDB's own reader.
 */
export class WasmDuckDBEngine implements SqlEngine {
  readonly name = 'duckdb-wasm';
  readonly #backend: WasmBackend;
  readonly #parquet: ParquetCodec;
  readonly #readFile?: (path: string) => Promise<Uint8Array>;
  readonly #held = new Map<string, 'VIEW' | 'TABLE'>();
  #files = 0;

  private constructor(options: WasmEngineOptions) {
    this.#backend = options.backend;
    this.#parquet = options.parquet;
    this.#readFile = options.readFile;
  }

  static async open(options: WasmEngineOptions): Promise<WasmDuckDBEngine> {
    const engine = new WasmDuckDBEngine(options);
    // With autoloading on, a missing extension makes the engine try to download it and hang offline.
    await options.backend.query('SET autoinstall_known_extensions=false');
    await options.backend.query('SET autoload_known_extensions=false');
    return engine;
  }

  query(sql: string): Promise<Table> {
    return this.#backend.query(sql);
  }

  async exec(sql: string): Promise<void> {
    await this.#backend.query(sql);
  }

  async registerArrow(name: string, table: Table): Promise<void> {
    await this.unregister(name);
    await this.#backend.insertArrowIPC(name, tableToIpcStream(table));
    this.#held.set(name, 'TABLE');
  }

  async registerFile(name: string, path: string, format: FileFormat, columns?: readonly string[]): Promise<void> {
    if (!this.#readFile) {
      throw new Error(`cannot read '${path}': this runtime has no file system; register the bytes or use a URL`);
    }
    await this.registerBytes(name, await this.#readFile(path), format, columns);
  }

  async registerBytes(name: string, bytes: Uint8Array, format: FileFormat, columns?: readonly string[]): Promise<void> {
    if (format === 'parquet') {
      await this.unregister(name);
      let ipc = this.#parquet.readParquet(bytes, columns);
      if (columns && columns.length > 0) {
        // The codec may return every column; keep only those asked for before DuckDB copies them.
        const decoded = tableFromIPC(ipc);
        if (decoded.numCols !== columns.length) ipc = tableToIpcStream(decoded.select([...columns]));
      }
      await this.#backend.insertArrowIPC(name, ipc);
      this.#held.set(name, 'TABLE');
      return;
    }
    const file = `feast-edge-${++this.#files}.csv`;
    await this.#backend.registerFileBuffer(file, bytes);
    try {
      const select = columns && columns.length > 0 ? columns.map(quoteIdent).join(', ') : '*';
      await this.#replace(name, 'TABLE', `SELECT ${select} FROM read_csv(${quoteLiteral(file)}, header = true, auto_detect = true)`);
    } finally {
      await this.#backend.dropFile(file);
    }
  }

  async registerQuery(name: string, sql: string): Promise<void> {
    await this.#replace(name, 'VIEW', sql);
  }

  async unregister(name: string): Promise<void> {
    const kind = this.#held.get(name);
    if (!kind) return;
    this.#held.delete(name);
    await this.#backend.query(`DROP ${kind} IF EXISTS ${quoteIdent(name)}`);
  }

  async export(sql: string, format: FileFormat): Promise<Uint8Array> {
    const table = await this.query(sql);
    return format === 'parquet' ? this.#parquet.writeParquet(tableToIpcStream(table)) : tableToCsv(table);
  }

  close(): Promise<void> {
    return this.#backend.close();
  }

  async #replace(name: string, kind: 'VIEW' | 'TABLE', select: string): Promise<void> {
    await this.unregister(name);
    await this.#backend.query(`CREATE ${kind} ${quoteIdent(name)} AS ${select}`);
    this.#held.set(name, kind);
  }
}
