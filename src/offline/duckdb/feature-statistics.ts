import { formatValueType, type FeatureView } from '../../definitions/index.js';
import { isTimestampType } from '../../sql/describe.js';
import { sourceColumn, timestampExpr } from '../../sql/source-columns.js';
import { quoteIdent as q, type SqlEngine } from '../../sql/sql-engine.js';
import { microsToIso } from '../../definitions/timestamp.js';
import type { FeatureStatistics } from '../offline-store.js';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL)/i;

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * Statistics of every feature of `view`, computed by DuckDB over `sourceView` (the view's
 * batch source, registered with its source column names): null share, distinct count,
 * min, max and mean; for numeric features `bins` equal-width histogram bins over
 * [min, max] and the mean over `bins` equal time buckets of the source's timestamp.
 */
export async function featureStatistics(
  engine: SqlEngine,
  view: FeatureView,
  sourceView: string,
  types: ReadonlyMap<string, string>,
  bins: number,
): Promise<{ rowCount: number; features: FeatureStatistics[] }> {
  const from = q(sourceView);
  const features = view.features.map((f, i) => {
    const column = sourceColumn(view, f.name);
    const type = types.get(column) ?? '';
    const kind = NUMERIC.test(type) ? ('numeric' as const) : isTimestampType(type) ? ('time' as const) : ('other' as const);
    return { field: f, column, kind, i };
  });
  const aggregates = ['CAST(count(*) AS DOUBLE) AS "n"'];
  for (const { column, kind, i } of features) {
    const c = q(column);
    aggregates.push(`CAST(count(${c}) AS DOUBLE) AS "nn${i}"`, `CAST(count(DISTINCT ${c}) AS DOUBLE) AS "d${i}"`);
    if (kind === 'numeric')
      aggregates.push(`CAST(min(${c}) AS DOUBLE) AS "min${i}"`, `CAST(max(${c}) AS DOUBLE) AS "max${i}"`, `avg(CAST(${c} AS DOUBLE)) AS "avg${i}"`);
    if (kind === 'time') aggregates.push(`epoch_us(CAST(min(${c}) AS TIMESTAMP)) AS "min${i}"`, `epoch_us(CAST(max(${c}) AS TIMESTAMP)) AS "max${i}"`);
  }
  const totals = (await engine.query(`SELECT ${aggregates.join(', ')} FROM ${from}`)).get(0)?.toJSON() as Record<string, unknown>;
  const rowCount = num(totals.n) ?? 0;
  const overTime = await meansOverTime(
    engine,
    view,
    sourceView,
    types,
    features.filter((f) => f.kind === 'numeric'),
    bins,
  );
  const out: FeatureStatistics[] = [];
  for (const { field, column, kind, i } of features) {
    const nonNull = num(totals[`nn${i}`]) ?? 0;
    const base = {
      name: field.name,
      type: formatValueType(field.dtype),
      rows: rowCount,
      nullShare: rowCount === 0 ? 0 : (rowCount - nonNull) / rowCount,
      distinct: num(totals[`d${i}`]) ?? 0,
    };
    if (kind === 'time' && nonNull > 0) {
      out.push({ ...base, min: microsToIso(BigInt(totals[`min${i}`] as bigint)), max: microsToIso(BigInt(totals[`max${i}`] as bigint)) });
    } else if (kind === 'numeric' && nonNull > 0) {
      const min = num(totals[`min${i}`])!;
      const max = num(totals[`max${i}`])!;
      out.push({
        ...base,
        min,
        max,
        mean: num(totals[`avg${i}`])!,
        histogram: await histogram(engine, from, column, min, max, nonNull, bins),
        overTime: overTime.get(i),
      });
    } else {
      out.push(base);
    }
  }
  return { rowCount, features: out };
}

async function histogram(engine: SqlEngine, from: string, column: string, min: number, max: number, nonNull: number, bins: number) {
  if (min === max) return [{ from: min, to: max, count: nonNull }];
  const width = (max - min) / bins;
  const c = q(column);
  // The maximum itself falls in the last bin: bins are [from, to) except the last, [from, to].
  const counted = await engine.query(
    `SELECT least(CAST(floor((CAST(${c} AS DOUBLE) - ${min}) / ${width}) AS INTEGER), ${bins - 1}) AS "b", CAST(count(*) AS DOUBLE) AS "n" ` +
      `FROM ${from} WHERE ${c} IS NOT NULL GROUP BY 1`,
  );
  const counts = new Array<number>(bins).fill(0);
  for (const row of counted) counts[Number(row.b)] = Number(row.n);
  return counts.map((count, b) => ({ from: min + b * width, to: b === bins - 1 ? max : min + (b + 1) * width, count }));
}

async function meansOverTime(
  engine: SqlEngine,
  view: FeatureView,
  sourceView: string,
  types: ReadonlyMap<string, string>,
  numeric: readonly { column: string; i: number }[],
  bins: number,
): Promise<Map<number, { at: string; mean: number | null }[]>> {
  const out = new Map<number, { at: string; mean: number | null }[]>();
  if (numeric.length === 0) return out;
  const field = view.batchSource.timestampField;
  const ts = timestampExpr(field, types.get(field));
  const range = (await engine.query(`SELECT epoch_us(min(${ts})) AS "lo", epoch_us(max(${ts})) AS "hi" FROM ${q(sourceView)}`)).get(0);
  if (range?.lo === null || range?.lo === undefined) return out;
  const lo = BigInt(range.lo as bigint);
  const hi = BigInt(range.hi as bigint);
  const buckets = lo === hi ? 1 : bins;
  // Rounded up, so the newest row still lands in the last bucket.
  const width = lo === hi ? 1n : (hi - lo + BigInt(buckets) - 1n) / BigInt(buckets);
  const means = numeric.map(({ column, i }) => `avg(CAST(${q(column)} AS DOUBLE)) AS "m${i}"`).join(', ');
  const rows = await engine.query(
    `WITH per AS (SELECT least(CAST((epoch_us(${ts}) - ${lo}) // ${width} AS BIGINT), ${buckets - 1}) AS "b", ${means} FROM ${q(sourceView)} WHERE ${ts} IS NOT NULL GROUP BY 1) ` +
      `SELECT r."range" AS "b", per.* EXCLUDE ("b") FROM range(${buckets}) AS r LEFT JOIN per ON per."b" = r."range" ORDER BY r."range"`,
  );
  for (const { i } of numeric) out.set(i, []);
  for (const row of rows) {
    const at = microsToIso(lo + BigInt(row.b as bigint) * width);
    for (const { i } of numeric) out.get(i)!.push({ at, mean: num(row[`m${i}`]) });
  }
  return out;
}
