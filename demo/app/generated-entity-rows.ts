import { EXAMPLE_DATA_END } from './example-repo.js';
import type { RequiredColumn } from './registry-model.js';

/** Values the example repo has rows for (sample-data.ts): drivers 1001-1010, customers 2001-2010, hourly rows up to EXAMPLE_DATA_END. */
const EXAMPLE_COLUMNS: Readonly<Record<string, string>> = {
  driver_id: '(1001 + i % 10)::BIGINT',
  customer_id: '(2001 + (i // 10) % 10)::BIGINT',
  val_to_add: '(i % 7)::BIGINT',
};

/**
 * SQL that makes `count` entity rows inside the worker (DuckDB's range()), so a million
 * rows never cross from the page: the example repo's keys, event times spread over the
 * last three days of its data, and a small integer for any other column the features need.
 */
export function generatedEntityRowsSql(count: number, columns: readonly RequiredColumn[]): string {
  if (!Number.isInteger(count) || count < 1 || count > 50_000_000)
    throw new Error(`Generate: the row count must be a whole number from 1 to 50,000,000, got ${count}`);
  const selected = columns.map(({ column }) => `${EXAMPLE_COLUMNS[column] ?? '(i % 100)::BIGINT'} AS "${column.replaceAll('"', '""')}"`);
  const from = new Date(EXAMPLE_DATA_END.getTime() - 3 * 86_400_000).toISOString().slice(0, 19).replace('T', ' ');
  // 7919 is prime, so consecutive rows land far apart in time and every second of the 3 days is used.
  selected.push(`TIMESTAMP '${from}' + to_seconds((i * 7919) % 259200) AS event_timestamp`);
  return `SELECT ${selected.join(', ')} FROM range(0, ${count}) t(i)`;
}
