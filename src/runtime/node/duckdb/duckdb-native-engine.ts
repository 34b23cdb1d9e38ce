import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import { DuckDBInstance, type DuckDBConnection, type DuckDBDataChunk } from '@duckdb/node-api';
import * as parquet from 'parquet-wasm';
import type { FileFormat } from '../../../definitions/index.js';
import { quoteIdent, quoteLiteral, type SqlEngine } from '../../../sql/sql-engine.js';
import { nativeChunksToArrow } from './native-result-to-arrow.js';
import { tableToCsv } from '../../../arrow/csv-writer.js';
import { tableToIpcStream } from '../../../arrow/ipc.js';

/** How a registered name is held, so `unregister` drops the right kind of object. */
type Held = { kind: 'VIEW' | 'TABLE'; file?: string };

/**
 * Native DuckDB (`@duckdb/node-api`): Parquet built in, several threads, the Node default.
 * Instants stay UTC: the session time zone is pinned so TIMESTAMPTZ casts never shift.
 */
export class NativeDuckDBEngine implements SqlEngine {
  readonly name = 'duckdb-native';
  readonly #instance: DuckDBInstance;
  readonly #connection: DuckDBConnection;
  readonly #tmp: string;
  readonly #held = new Map<string, Held>();
  #files = 0;

  private constructor(instance: DuckDBInstance, connection: DuckDBConnection, tmp: string) {
    this.#instance = instance;
    this.#connection = connection;
    this.#tmp = tmp;
  }

  static async open(options: { threads?: number; memoryLimit?: string } = {}): Promise<NativeDuckDBEngine> {
    const config: Record<string, string> = {};
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await DuckDBInstance.create(':memory:', config);
    const connection = await instance.connect();
    await connection.run("SET TimeZone='UTC'");
    const tmp = await mkdtemp(join(tmpdir(), 'feast-edge-duckdb-'));
    return new NativeDuckDBEngine(instance, connection, tmp);
  }

  async query(sql: string): Promise<Table> {
    const result = await this.#connection.run(sql);
    const chunks = Array.from({ length: result.chunkCount }, (_, i) => result.getChunk(i));
    return nativeChunksToArrow(result.columnNames(), result.columnTypes(), chunks);
  }

  /** Yields about 10k rows at a time (DuckDB's chunks hold 2048), copied in bulk like query(). */
  async *queryBatches(sql: string): AsyncIterable<Table> {
    const result = await this.#connection.stream(sql);
    const names = result.columnNames();
    const types = result.columnTypes();
    let chunks: DuckDBDataChunk[] = [];
    let rows = 0;
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      chunks.push(chunk);
      rows += chunk.rowCount;
      if (rows >= 10_000) {
        yield nativeChunksToArrow(names, types, chunks);
        chunks = [];
        rows = 0;
      }
    }
    if (rows > 0) yield nativeChunksToArrow(names, types, chunks);
  }

  async exec(sql: string): Promise<void> {
    await this.#connection.run(sql);
  }

  async registerArrow(name: string, table: Table): Promise<void> {
    // Native DuckDB cannot read Arrow IPC without an extension: cross as Parquet.
    const bytes = parquet.writeParquet(parquet.Table.fromIPCStream(tableToIpcStream(table)));
    await this.registerBytes(name, bytes, 'parquet');
  }

  async registerFile(name: string, path: string, format: FileFormat, columns?: readonly string[]): Promise<void> {
    await this.#replace(name, { kind: 'VIEW' }, `SELECT ${selectList(columns)} FROM ${reader(resolve(path), format)}`);
  }

  async registerQuery(name: string, sql: string): Promise<void> {
    await this.#replace(name, { kind: 'VIEW' }, sql);
  }

  async registerBytes(name: string, bytes: Uint8Array, format: FileFormat, columns?: readonly string[]): Promise<void> {
    const file = join(this.#tmp, `data-${++this.#files}.${format}`);
    await writeFile(file, bytes);
    try {
      // Materialized, so the temporary file can go at once.
      await this.#replace(name, { kind: 'TABLE' }, `SELECT ${selectList(columns)} FROM ${reader(file, format)}`);
    } finally {
      await rm(file, { force: true });
    }
  }

  async unregister(name: string): Promise<void> {
    const held = this.#held.get(name);
    if (!held) return;
    this.#held.delete(name);
    await this.#connection.run(`DROP ${held.kind} IF EXISTS ${quoteIdent(name)}`);
  }

  async export(sql: string, format: FileFormat): Promise<Uint8Array> {
    // CSV goes through the one writer every engine shares (zones, float digits): DuckDB's
    // COPY would write timestamps without a zone and floats its own way.
    if (format === 'csv') return tableToCsv(await this.query(sql));
    const file = join(this.#tmp, `export-${++this.#files}.${format}`);
    await this.#connection.run(`COPY (${sql}) TO ${quoteLiteral(file)} (FORMAT parquet)`);
    try {
      return new Uint8Array(await readFile(file));
    } finally {
      await rm(file, { force: true });
    }
  }

  async close(): Promise<void> {
    this.#connection.closeSync();
    this.#instance.closeSync();
    await rm(this.#tmp, { recursive: true, force: true });
  }

  async #replace(name: string, held: Held, select: string): Promise<void> {
    await this.unregister(name);
    await this.#connection.run(`CREATE ${held.kind} ${quoteIdent(name)} AS ${select}`);
    this.#held.set(name, held);
  }
}

function selectList(columns?: readonly string[]): string {
  return columns && columns.length > 0 ? columns.map(quoteIdent).join(', ') : '*';
}

function reader(path: string, format: FileFormat): string {
  return format === 'parquet' ? `read_parquet(${quoteLiteral(path)})` : `read_csv(${quoteLiteral(path)}, header = true, auto_detect = true)`;
}
