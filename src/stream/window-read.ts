import type { Aggregation } from '../definitions/index.js';
import { findTable, tableValue, type TableKey, type WindowRecord } from './window-record.js';
import { FN_CODES } from './window-tables.js';
import type { AggValue } from './tiles.js';
import { tileRange } from './window.js';

/** One aggregation as a read evaluates it over every entity's window record: its table's key, and the tiles the window at `at` covers. */
export interface WindowRead {
  readonly aggregation: Aggregation;
  readonly table: TableKey;
  readonly first: number;
  readonly last: number;
  /** Where the table was in the previous record: records of one view share their order. */
  hint: number;
}

const utf8 = new TextEncoder();
/** Per aggregation (objects of a registry document, kept while it is cached): its table's key, encoded once. */
const tableKeys = new WeakMap<Aggregation, TableKey>();

export function windowRead(aggregation: Aggregation, at: bigint): WindowRead {
  const { first, last } = tileRange(at, aggregation.windowSeconds, aggregation.slideSeconds);
  let table = tableKeys.get(aggregation);
  if (!table) {
    table = {
      column: utf8.encode(aggregation.column),
      slideSeconds: aggregation.slideSeconds,
      fn: FN_CODES[aggregation.fn],
      windowSeconds: aggregation.windowSeconds,
    };
    tableKeys.set(aggregation, table);
  }
  return { aggregation, table, first, last, hint: 0 };
}

/** The aggregate from an entity's window record; undefined when the record cannot answer and the tiles must be merged. */
export function windowValue(record: WindowRecord, read: WindowRead): AggValue | null | undefined {
  const t = findTable(record, read.table, read.hint);
  if (t < 0) return undefined;
  read.hint = t;
  const value = tableValue(record, t, read.first, read.last);
  return value === null && read.aggregation.fn === 'count' ? 0 : value;
}
