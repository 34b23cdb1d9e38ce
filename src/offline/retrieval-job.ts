import type { Table } from 'apache-arrow';
import type { SavedDataset } from '../registry/document.js';
import type { RetrievalJob } from '../store/types.js';
import { plainValues } from './arrow-types.js';
import type { SqlEngine } from './sql-engine.js';

export interface RetrievalJobContext {
  engine: () => Promise<SqlEngine>;
  persist: (name: string, table: Table, options: { tags?: Record<string, string>; allowOverwrite?: boolean }) => Promise<SavedDataset>;
}

let exportCounter = 0;

/** Arrow rows to plain objects; timestamps become Date, safe int64 numbers. */
export function tableToRows(table: Table): Record<string, unknown>[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => plainValues(table.getChild(n)));
  const rows = new Array<Record<string, unknown>>(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    names.forEach((n, c) => { row[n] = columns[c][i]; });
    rows[i] = row;
  }
  return rows;
}

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
export class HistoricalRetrievalJob implements RetrievalJob {
  #result?: Promise<Table>;
  readonly #run: () => Promise<Table>;
  readonly #context: RetrievalJobContext;

  constructor(run: () => Promise<Table>, context: RetrievalJobContext) {
    this.#run = run;
    this.#context = context;
  }

  toArrow(): Promise<Table> {
    return (this.#result ??= this.#run());
  }

  async toRows(): Promise<Record<string, unknown>[]> {
    return tableToRows(await this.toArrow());
  }

  async toCSV(): Promise<Uint8Array> {
    return exportTable(await this.#context.engine(), await this.toArrow(), 'csv');
  }

  async toParquet(): Promise<Uint8Array> {
    return exportTable(await this.#context.engine(), await this.toArrow(), 'parquet');
  }

  async persist(name: string, options: { tags?: Record<string, string>; allowOverwrite?: boolean } = {}): Promise<SavedDataset> {
    return this.#context.persist(name, await this.toArrow(), options);
  }
}
