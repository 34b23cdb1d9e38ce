import { DataType, RecordBatchReader } from 'apache-arrow';

/** A table's first rows as plain values: timestamps as Date, Int64 as bigint, as Arrow holds them. */
export interface DecodedRows {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

/**
 * Reads only the first `limit` rows of Arrow IPC stream bytes from the worker: record
 * batches are decoded one at a time and the rest are never touched, so a million-row
 * result costs the page no more than a hundred-row one.
 */
export function firstRows(ipc: Uint8Array, limit: number): DecodedRows {
  const reader = RecordBatchReader.from(ipc);
  const rows: unknown[][] = [];
  let columns: string[] = [];
  for (const batch of reader) {
    const fields = batch.schema.fields;
    columns = fields.map((f) => f.name);
    const vectors = fields.map((f) => batch.getChild(f.name)!);
    for (let i = 0; i < batch.numRows && rows.length < limit; i++) {
      rows.push(
        fields.map((f, c) => {
          const value: unknown = vectors[c].get(i);
          if (value === null || value === undefined) return null;
          if (DataType.isTimestamp(f.type) || DataType.isDate(f.type)) return new Date(Number(value));
          return value;
        }),
      );
    }
    if (rows.length >= limit) break;
  }
  if (columns.length === 0) columns = reader.schema?.fields.map((f) => f.name) ?? [];
  reader.cancel();
  return { columns, rows };
}
