import type { FeatureView } from '../../definitions/index.js';
import { FeastEntityDFMissingColumnsError, FeatureNameCollisionError } from '../../errors.js';
import type { ViewJoin } from '../../retrieval/retrieval-plan.js';
import { quoteIdent as q } from '../../sql/sql-engine.js';
import { sourceColumn, timestampExpr } from '../../sql/source-columns.js';
import { streamAggregatesSql, type StreamSqlInput } from '../../stream/historical/stream-historical-sql.js';

/** A view as the SQL sees it: its projection and where its source rows are. */
export interface JoinInput {
  readonly join: ViewJoin;
  /** Engine view holding the source rows. */
  readonly sourceView: string;
  /** DuckDB type of each source column (from DESCRIBE), to normalize timestamps. */
  readonly sourceTypes: ReadonlyMap<string, string>;
}

export interface PointInTimeSqlInput {
  readonly entityView: string;
  /** Entity dataframe columns and their DuckDB types, in order. */
  readonly entityTypes: ReadonlyMap<string, string>;
  readonly timestampColumn: string;
  readonly joins: readonly JoinInput[];
  /** Stream views: windowed aggregates at each entity row's time (stream-historical-sql.ts). */
  readonly streams?: readonly StreamSqlInput[];
  readonly filterByCreatedTimestamp?: boolean;
  /**
   * 'asof' (default): one ASOF join per view, ttl applied after it. 'window': Feast's
   * plan (range join + ROW_NUMBER), needed for filterByCreatedTimestamp.
   */
  readonly strategy?: 'asof' | 'window';
}

const ttlMicros = (view: FeatureView) => Math.round(view.ttlSeconds * 1e6);
const interval = (micros: number) => `to_microseconds(CAST(${micros} AS BIGINT))`;

/**
 * Builds the whole point-in-time join as one SQL statement: every entity row kept in
 * order (duplicates too), and per view the latest row with
 * `entity_ts - ttl <= feature_ts <= entity_ts`, ties broken by the created timestamp.
 */
export function buildPointInTimeSql(input: PointInTimeSqlInput): string {
  const strategy = input.filterByCreatedTimestamp ? 'window' : (input.strategy ?? 'asof');
  const ts = input.timestampColumn;
  const entityColumns = [...input.entityTypes.keys()];
  checkPointInTimeColumns(input);
  // The entity rows' order is kept in a column no entity dataframe column is named after.
  let rowIdName = '__row_id';
  for (let n = 1; entityColumns.includes(rowIdName); n++) rowIdName = `__row_id_${n}`;
  const rowId = q(rowIdName);

  const ctes: string[] = [];
  ctes.push(
    `"__entity" AS (SELECT * REPLACE (${timestampExpr(ts, input.entityTypes.get(ts))} AS ${q(ts)}), ` +
      `row_number() OVER () AS ${rowId} FROM ${q(input.entityView)})`,
  );
  ctes.push(`"__bounds" AS (SELECT min(${q(ts)}) AS lo, max(${q(ts)}) AS hi FROM "__entity")`);

  const selects = [`"__entity".* EXCLUDE (${rowId})`];
  const joinsSql: string[] = [];
  input.joins.forEach((j, i) => {
    const view = j.join.view;
    const alias = `__fv${i}`;
    const keys = view.entityColumns.map((c) => c.name);
    const created = view.batchSource.createdTimestampColumn;
    const tsSource = timestampExpr(view.batchSource.timestampField, j.sourceTypes.get(view.batchSource.timestampField));
    const ttl = ttlMicros(view);
    const features = [...new Set(j.join.columns.map((c) => c.feature))];
    const cols = [
      ...keys.map((k, n) => `${q(sourceColumn(view, k))} AS "__k${n}"`),
      `${tsSource} AS "__ts"`,
      created ? `${timestampExpr(created, j.sourceTypes.get(created))} AS "__created"` : 'CAST(NULL AS TIMESTAMP) AS "__created"',
      ...features.map((f, n) => `${q(sourceColumn(view, f))} AS "__f${n}"`),
    ];
    const prune = [`${tsSource} <= (SELECT hi FROM "__bounds")`];
    if (ttl > 0) prune.push(`${tsSource} >= (SELECT lo FROM "__bounds") - ${interval(ttl)}`);
    ctes.push(`"${alias}_src" AS (SELECT ${cols.join(', ')} FROM ${q(j.sourceView)} WHERE ${prune.join(' AND ')})`);

    const keyMatch = keys.map((k, n) => `"__entity".${q(j.join.joinKeyMap[k] ?? k)} = "${alias}"."__k${n}"`);
    const lower = ttl > 0 ? `"${alias}"."__ts" >= "__entity".${q(ts)} - ${interval(ttl)}` : undefined;
    if (strategy === 'asof') {
      // Ordering by (ts, created) makes ASOF pick the newest created among equal event times.
      ctes.push(`"${alias}" AS (SELECT *, {'t': "__ts", 'c': coalesce("__created", '-infinity'::TIMESTAMP)} AS "__order" FROM "${alias}_src")`);
      const probe = `{'t': "__entity".${q(ts)}, 'c': 'infinity'::TIMESTAMP}`;
      joinsSql.push(`ASOF LEFT JOIN "${alias}" ON ${[...keyMatch, `${probe} >= "${alias}"."__order"`].join(' AND ')}`);
      // ASOF still matches an entity row whose time is NULL; such rows have no candidate in
      // Feast's semantics, which the ttl comparison gives for free and ttl 0 needs spelled out.
      const valid = lower ?? `"__entity".${q(ts)} IS NOT NULL`;
      j.join.columns.forEach((c) => {
        selects.push(`CASE WHEN ${valid} THEN "${alias}"."__f${features.indexOf(c.feature)}" END AS ${q(c.output)}`);
      });
    } else {
      // Candidates are named "__cand" inside the CTE; the CTE itself is joined as the alias.
      const cand = (sql: string) => sql.replaceAll(`"${alias}".`, '"__cand".');
      const conditions = [...keyMatch.map(cand), `"__cand"."__ts" <= "__entity".${q(ts)}`];
      if (lower) conditions.push(cand(lower));
      // Feast: the filter does nothing for a source without a created column.
      if (input.filterByCreatedTimestamp && created) conditions.push(`"__cand"."__created" <= "__entity".${q(ts)}`);
      ctes.push(
        `"${alias}" AS (SELECT "__entity".${rowId} AS "__row_id", "__cand".* FROM "__entity" JOIN "${alias}_src" AS "__cand" ` +
          `ON ${conditions.join(' AND ')} QUALIFY row_number() OVER (PARTITION BY "__entity".${rowId} ` +
          `ORDER BY "__cand"."__ts" DESC, "__cand"."__created" DESC NULLS LAST) = 1)`,
      );
      joinsSql.push(`LEFT JOIN "${alias}" ON "${alias}"."__row_id" = "__entity".${rowId}`);
      j.join.columns.forEach((c) => selects.push(`"${alias}"."__f${features.indexOf(c.feature)}" AS ${q(c.output)}`));
    }
  });
  (input.streams ?? []).forEach((stream, i) => {
    const part = streamAggregatesSql(stream, i, ts, rowIdName);
    ctes.push(...part.ctes);
    joinsSql.push(part.join);
    selects.push(...part.selects);
  });
  return `WITH ${ctes.join(',\n')}\nSELECT ${selects.join(', ')}\nFROM "__entity"\n${joinsSql.join('\n')}\nORDER BY "__entity".${rowId}`;
}

/** The errors the plan gives before any SQL runs: a view's join key missing from the entity rows, a feature named like an entity column. */
export function checkPointInTimeColumns(input: Pick<PointInTimeSqlInput, 'entityTypes' | 'joins' | 'streams'>): void {
  const entityColumns = [...input.entityTypes.keys()];
  for (const j of [...input.joins, ...(input.streams ?? [])]) {
    const needed = j.join.view.entityColumns.map((c) => j.join.joinKeyMap[c.name] ?? c.name);
    const missing = needed.filter((c) => !entityColumns.includes(c));
    if (missing.length > 0) {
      throw new FeastEntityDFMissingColumnsError(
        `the entity dataframe lacks ${missing.map((m) => `'${m}'`).join(', ')}, needed to join '${j.join.projectionName}'; it has ${entityColumns.join(', ')}`,
      );
    }
    for (const c of j.join.columns) {
      if (entityColumns.includes(c.output)) {
        throw new FeatureNameCollisionError(
          `feature column '${c.output}' has the name of an entity dataframe column; set fullFeatureNames: true or rename the column`,
        );
      }
    }
  }
}
