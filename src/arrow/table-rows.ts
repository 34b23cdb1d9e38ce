import type { Table } from 'apache-arrow';
import { plainValues } from './arrow-types.js';

/** Arrow rows to plain objects; timestamps become Date, safe int64 numbers. */
export function tableToRows(table: Table): Record<string, unknown>[] {
  const names = table.schema.fields.map((f) => f.name);
  const columns = names.map((n) => plainValues(table.getChild(n)));
  const rows = new Array<Record<string, unknown>>(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {};
    names.forEach((n, c) => {
      row[n] = columns[c][i];
    });
    rows[i] = row;
  }
  return rows;
}
