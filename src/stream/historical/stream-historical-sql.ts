import type { Aggregation } from '../../definitions/index.js';
import { duckdbType } from '../../definitions/value-type.js';
import type { StreamJoin } from '../../retrieval/retrieval-plan.js';
import { quoteIdent as q } from '../../sql/sql-engine.js';

/**
 * A stream view's events as the SQL reads them: a registered view with the join keys as
 * `__k0..`, the event time as `__tu` (BIGINT microseconds) and each event column the
 * aggregations read as `__c0..` (in `columns` order), after the transform if any.
 */
export interface StreamSqlInput {
  readonly join: StreamJoin;
  readonly eventsView: string;
  readonly columns: readonly string[];
}

const MICROS = 1_000_000;

/** `floor(T/S)*S - W + S` in SQL: the first event time (inclusive) the window at T covers (window.ts). */
function windowStartSql(at: string, a: Pick<Aggregation, 'windowSeconds' | 'slideSeconds'>): string {
  const slide = a.slideSeconds * MICROS;
  // DuckDB's % keeps the dividend's sign: ((x % s) + s) % s is the floor remainder for any x.
  return `(${at} - (((${at} % ${slide}) + ${slide}) % ${slide}) - ${(a.windowSeconds - a.slideSeconds) * MICROS})`;
}

function aggregateSql(a: Aggregation, column: string, inWindow: string): string {
  const c = `s.${q(column)}`;
  const isInteger = a.dtype.kind === 'Int64' && a.fn === 'sum';
  switch (a.fn) {
    case 'count':
      return `count(${c}) FILTER (WHERE ${inWindow})`;
    case 'sum':
      return isInteger ? `CAST(sum(${c}) FILTER (WHERE ${inWindow}) AS BIGINT)` : `sum(CAST(${c} AS DOUBLE)) FILTER (WHERE ${inWindow})`;
    // sum / count as the tiles compute it (not avg, whose summation may differ).
    case 'mean':
      return `CAST(sum(${c}) FILTER (WHERE ${inWindow}) AS DOUBLE) / count(${c}) FILTER (WHERE ${inWindow})`;
    case 'min':
      return `min(${c}) FILTER (WHERE ${inWindow})`;
    case 'max':
      return `max(${c}) FILTER (WHERE ${inWindow})`;
    // The greatest (time, value): the latest event, ties to the greatest value.
    case 'last':
      return `struct_extract(max({'t': s."__tu", 'v': ${c}}) FILTER (WHERE ${c} IS NOT NULL AND ${inWindow}), 'v')`;
  }
}

/**
 * The CTEs, join and select items computing one stream view's aggregates at each entity
 * row's timestamp, over the `"__entity"` CTE of the point-in-time SQL (which has its
 * row number in `rowIdColumn` and the timestamp column as TIMESTAMP). Events join on the keys with
 * `start <= t <= T`, start being the earliest window start among the view's aggregations;
 * each aggregate filters its own window. No event: count 0, everything else NULL.
 */
export function streamAggregatesSql(
  input: StreamSqlInput,
  index: number,
  timestampColumn: string,
  rowIdColumn = '__row_id',
): { ctes: string[]; join: string; selects: string[] } {
  const { join } = input;
  const alias = `__sv${index}`;
  const at = 'e."__tu"';
  const aggregations = join.columns.map((c) => join.view.aggregations.find((a) => a.name === c.feature)!);
  const starts = aggregations.map((a) => windowStartSql(at, a));
  const keyMatch = join.view.entityColumns.map((k, n) => `s."__k${n}" = e.${q(join.joinKeyMap[k.name] ?? k.name)}`);
  const entityKeys = [...new Set(join.view.entityColumns.map((k) => q(join.joinKeyMap[k.name] ?? k.name)))];
  const longest = Math.max(...join.view.aggregations.map((a) => a.windowSeconds)) * MICROS;
  const ctes = [
    `"${alias}_src" AS (SELECT * FROM ${q(input.eventsView)} WHERE "__tu" <= (SELECT epoch_us(hi) FROM "__bounds") ` +
      `AND "__tu" >= (SELECT epoch_us(lo) FROM "__bounds") - ${longest})`,
    `"${alias}" AS (SELECT e."__row_id", ${aggregations.map((a, n) => `${aggregateSql(a, `__c${input.columns.indexOf(a.column)}`, `s."__tu" >= ${starts[n]}`)} AS "__a${n}"`).join(', ')} ` +
      `FROM (SELECT ${q(rowIdColumn)} AS "__row_id", ${entityKeys.join(', ')}, epoch_us(${q(timestampColumn)}) AS "__tu" FROM "__entity") AS e ` +
      `JOIN "${alias}_src" AS s ON ${[...keyMatch, `s."__tu" <= ${at}`, `s."__tu" >= least(${starts.join(', ')})`].join(' AND ')} ` +
      `GROUP BY e."__row_id")`,
  ];
  const selects = join.columns.map((c, n) => {
    const a = aggregations[n];
    const value = a.fn === 'count' ? `coalesce("${alias}"."__a${n}", 0)` : `"${alias}"."__a${n}"`;
    return `CAST(${value} AS ${duckdbType(a.dtype)}) AS ${q(c.output)}`;
  });
  return { ctes, join: `LEFT JOIN "${alias}" ON "${alias}"."__row_id" = "__entity".${q(rowIdColumn)}`, selects };
}
