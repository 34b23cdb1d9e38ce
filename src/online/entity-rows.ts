import { InvalidEntityRowsError } from '../errors.js';

/** Entity rows as given to getOnlineFeatures: a list of objects, or columns of equal length. */
export type OnlineEntityRows = readonly Record<string, unknown>[] | Readonly<Record<string, readonly unknown[]>>;

/** Normalizes entity rows to columns (an object without a prototype) and a row count, refusing ragged or empty input. */
export function entityColumns(rows: OnlineEntityRows): { columns: Record<string, unknown[]>; count: number } {
  if (Array.isArray(rows)) {
    if (rows.length === 0) throw new InvalidEntityRowsError('entityRows: expected at least one row');
    // No prototype: a column named '__proto__' or 'constructor' is a column, not Object.prototype's member.
    const columns: Record<string, unknown[]> = Object.create(null);
    rows.forEach((row, i) => {
      if (!row || typeof row !== 'object' || Array.isArray(row)) {
        throw new InvalidEntityRowsError(`entityRows[${i}]: expected an object of join key -> value`);
      }
      for (const [name, value] of Object.entries(row)) (columns[name] ??= new Array(rows.length).fill(undefined))[i] = value;
    });
    return { columns, count: rows.length };
  }
  if (!rows || typeof rows !== 'object') throw new InvalidEntityRowsError('entityRows: expected rows or columns');
  const entries = Object.entries(rows as Record<string, readonly unknown[]>);
  if (entries.length === 0) throw new InvalidEntityRowsError('entityRows: expected at least one column');
  const count = entries[0][1]?.length;
  for (const [name, values] of entries) {
    if (!Array.isArray(values)) throw new InvalidEntityRowsError(`entityRows.${name}: expected an array of values`);
    if (values.length !== count) {
      throw new InvalidEntityRowsError(`entityRows.${name}: has ${values.length} values, but '${entries[0][0]}' has ${count}`);
    }
  }
  if (!count) throw new InvalidEntityRowsError('entityRows: expected at least one row');
  const columns: Record<string, unknown[]> = Object.create(null);
  for (const [name, values] of entries) columns[name] = [...values];
  return { columns, count };
}
