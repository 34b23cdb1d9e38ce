import type { SqlEngine } from './sql-engine.js';
import { quoteIdent } from './sql-engine.js';

/** Column name -> DuckDB type name of a view or query, in column order. */
export async function describeColumns(engine: SqlEngine, viewOrSql: { view: string } | { sql: string }): Promise<Map<string, string>> {
  const from = 'view' in viewOrSql ? `SELECT * FROM ${quoteIdent(viewOrSql.view)}` : viewOrSql.sql;
  const table = await engine.query(`DESCRIBE ${from}`);
  const names = table.getChild('column_name');
  const types = table.getChild('column_type');
  const out = new Map<string, string>();
  for (let i = 0; i < table.numRows; i++) out.set(String(names?.get(i)), String(types?.get(i)));
  return out;
}

export function isTimestampType(type: string): boolean {
  return /^(TIMESTAMP|DATE)/i.test(type);
}
