import type { RequiredColumn } from './registry-model.js';

export const EVENT_TIMESTAMP = 'event_timestamp';

/** The header of a CSV file: its first line split on commas (quotes removed). */
export async function csvHeader(file: Blob): Promise<string[]> {
  const head = await file.slice(0, 64 * 1024).text();
  const line = head.split(/\r?\n/, 1)[0] ?? '';
  return line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}

/**
 * Checks an entity file's columns before the join runs, naming the first missing column
 * and what needs it, so a wrong file is a clear message rather than a SQL error.
 */
export function checkEntityColumns(fileName: string, header: readonly string[], required: readonly RequiredColumn[]): void {
  if (header.length === 0 || (header.length === 1 && header[0] === ''))
    throw new Error(`${fileName}: the file is empty; expected a header row with ${EVENT_TIMESTAMP} and the join keys`);
  if (!header.includes(EVENT_TIMESTAMP))
    throw new Error(`${fileName}: no column '${EVENT_TIMESTAMP}' (the time each entity row is asked about); the columns are ${header.join(', ')}`);
  for (const { column, neededBy } of required) {
    if (!header.includes(column)) throw new Error(`${fileName}: no column '${column}', which ${neededBy} needs; the columns are ${header.join(', ')}`);
  }
}
