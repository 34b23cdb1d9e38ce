import type { Table } from 'apache-arrow';
import type { FileFormat } from '../definitions/index.js';

/**
 * The one interface over DuckDB (native in Node, WASM elsewhere). Every engine runs
 * the same SQL text; instants are `TIMESTAMP` in UTC (WASM has no ICU).
 *
 * `register*` makes data queryable as a view named `name` (replacing any earlier one).
 */
export interface SqlEngine {
  /** 'duckdb-native' or 'duckdb-wasm'. */
  readonly name: string;
  /** Runs a query and returns the whole result as an Arrow table (apache-arrow 17). */
  query(sql: string): Promise<Table>;
  /** Streams a query's result in Arrow record batches, for results larger than memory. */
  queryBatches?(sql: string): AsyncIterable<Table>;
  /** Runs statements that return nothing. */
  exec(sql: string): Promise<void>;
  /** An Arrow table (any columns) as a view. */
  registerArrow(name: string, table: Table): Promise<void>;
  /** A local file path (engines that have a file system) as a view; `columns` limits what is read. */
  registerFile(name: string, path: string, format: FileFormat, columns?: readonly string[]): Promise<void>;
  /** A SELECT over registered views as a view. */
  registerQuery(name: string, sql: string): Promise<void>;
  /** File contents held in memory as a view. */
  registerBytes(name: string, bytes: Uint8Array, format: FileFormat, columns?: readonly string[]): Promise<void>;
  /** Drops a view or table made by `register*`; no error if absent. */
  unregister(name: string): Promise<void>;
  /** Writes a query's result in the format and returns the file's bytes. */
  export(sql: string, format: FileFormat): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** Quotes an identifier for DuckDB SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string literal for DuckDB SQL. */
export function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}
