import type { Table } from 'apache-arrow';
import { tableToRows } from '../../arrow/table-rows.js';
import type { SqlEngine } from '../../sql/sql-engine.js';
import type { HistoricalResult, OfflineRetrievalJob } from '../offline-store.js';

let exportCounter = 0;

/** Writes an Arrow table out through the engine (CSV or Parquet bytes). */
export async function exportTable(engine: SqlEngine, table: Table, format: 'csv' | 'parquet'): Promise<Uint8Array> {
  const view = `__export_${++exportCounter}`;
  await engine.registerArrow(view, table);
  try {
    return await engine.export(`SELECT * FROM "${view}"`, format);
  } finally {
    await engine.unregister(view);
  }
}

/** A lazy historical retrieval: the join runs on first access, once. */
export class HistoricalRetrievalJob implements OfflineRetrievalJob {
  #result?: Promise<HistoricalResult>;
  readonly #run: () => Promise<HistoricalResult>;
  readonly #engine: () => Promise<SqlEngine>;

  constructor(run: () => Promise<HistoricalResult>, engine: () => Promise<SqlEngine>) {
    this.#run = run;
    this.#engine = engine;
  }

  result(): Promise<HistoricalResult> {
    return (this.#result ??= this.#run());
  }

  async toArrow(): Promise<Table> {
    return (await this.result()).table;
  }

  async toRows(): Promise<Record<string, unknown>[]> {
    return tableToRows(await this.toArrow());
  }

  async toCSV(): Promise<Uint8Array> {
    return exportTable(await this.#engine(), await this.toArrow(), 'csv');
  }

  async toParquet(): Promise<Uint8Array> {
    return exportTable(await this.#engine(), await this.toArrow(), 'parquet');
  }
}
