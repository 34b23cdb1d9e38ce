import type { Table } from 'apache-arrow';
import { sourceColumn, timestampExpr } from '../../sql/source-columns.js';
import { quoteIdent as q, type SqlEngine } from '../../sql/sql-engine.js';
import type { StreamSqlInput } from '../../stream/historical/stream-historical-sql.js';
import { buildPointInTimeSql, checkPointInTimeColumns, type JoinInput, type PointInTimeSqlInput } from './point-in-time-sql.js';

export interface PartitionedJoinInput extends PointInTimeSqlInput {
  readonly engine: SqlEngine;
  /** Prefix of the engine tables and views this join makes (unique per retrieval). */
  readonly prefix: string;
  readonly partitions: number;
}

/** Views and stream views that join on the same entity columns: they are partitioned by one hash. */
interface KeyGroup {
  /** Entity dataframe columns, sorted; empty for entity-less views. */
  readonly columns: string[];
  readonly joins: JoinInput[];
  readonly streams: StreamSqlInput[];
}

const entityColumnsOf = (j: JoinInput | StreamSqlInput) => j.join.view.entityColumns.map((k) => j.join.joinKeyMap[k.name] ?? k.name);

/**
 * The point-in-time join in passes, for an engine whose memory cannot hold the whole join
 * (DuckDB-WASM's 32-bit heap). The entity rows get a row number; views are grouped by the
 * entity columns they join on; each group runs `partitions` passes, a pass taking the
 * entity rows whose keys hash to it and, of each source, only the rows whose keys hash
 * there too (a filter on the registered source), and running the same SQL as the
 * one-statement plan on them. Passes append (row number, features) to the group's result
 * table in the engine; one last query joins the entity rows to every group's result by
 * row number, in entity-row order. Entity-less views have no key to hash: their group is
 * one pass over every entity row, reading the whole source.
 */
export async function runPartitionedJoin(input: PartitionedJoinInput): Promise<Table> {
  const { engine, prefix } = input;
  checkPointInTimeColumns(input);
  const ts = input.timestampColumn;
  let rowId = '__entity_row';
  for (let n = 1; input.entityTypes.has(rowId); n++) rowId = `__entity_row_${n}`;
  const entityTable = `${prefix}_rows`;
  const made: { name: string; kind: 'TABLE' | 'VIEW' }[] = [{ name: entityTable, kind: 'TABLE' }];
  try {
    await engine.exec(`CREATE TABLE ${q(entityTable)} AS SELECT *, row_number() OVER () AS ${q(rowId)} FROM ${q(input.entityView)}`);
    const groups = keyGroups(input);
    const results: string[] = [];
    for (const [g, group] of groups.entries()) {
      const result = `${prefix}_g${g}`;
      made.push({ name: result, kind: 'TABLE' });
      results.push(result);
      const passTypes = new Map([[rowId, 'BIGINT'], ...[...group.columns, ts].map((c) => [c, input.entityTypes.get(c)!] as const)]);
      const outputs = [...new Set([...group.joins, ...group.streams].flatMap((j) => j.join.columns.map((c) => q(c.output))))];
      const passes = group.columns.length === 0 ? 1 : input.partitions;
      for (let p = 0; p < passes; p++) {
        const part = (name: string, from: string, hashed: string[]) => {
          const view = `${prefix}_g${g}_p${p}_${name}`;
          made.push({ name: view, kind: 'VIEW' });
          const where = passes > 1 ? ` WHERE hash(${hashed.join(', ')}) % ${passes} = ${p}` : '';
          return { view, sql: `SELECT * FROM ${q(from)}${where}` };
        };
        const entity = part('entity', entityTable, group.columns.map(q));
        await engine.registerQuery(entity.view, entity.sql.replace('SELECT *', `SELECT ${[...passTypes.keys()].map(q).join(', ')}`));
        const joins: JoinInput[] = [];
        for (const [i, j] of group.joins.entries()) {
          const keys = group.columns.map((c) => {
            const key = j.join.view.entityColumns.find((k) => (j.join.joinKeyMap[k.name] ?? k.name) === c)!.name;
            const column = sourceColumn(j.join.view, key);
            return castTo(q(column), j.sourceTypes.get(column), input.entityTypes.get(c)!);
          });
          const source = part(`v${i}`, j.sourceView, keys);
          await engine.registerQuery(source.view, source.sql);
          joins.push({ ...j, sourceView: source.view });
        }
        const streams: StreamSqlInput[] = [];
        for (const [i, s] of group.streams.entries()) {
          const keys = group.columns.map((c) => {
            const n = s.join.view.entityColumns.findIndex((k) => (s.join.joinKeyMap[k.name] ?? k.name) === c);
            return castTo(`"__k${n}"`, undefined, input.entityTypes.get(c)!);
          });
          const events = part(`s${i}`, s.eventsView, keys);
          await engine.registerQuery(events.view, events.sql);
          streams.push({ ...s, eventsView: events.view });
        }
        const sql = buildPointInTimeSql({ ...input, entityView: entity.view, entityTypes: passTypes, joins, streams });
        const select = `SELECT ${q(rowId)}, ${outputs.join(', ')} FROM (${sql})`;
        await engine.exec(p === 0 ? `CREATE TABLE ${q(result)} AS ${select}` : `INSERT INTO ${q(result)} ${select}`);
        for (const { name } of made.splice(made.length - 1 - joins.length - streams.length)) await engine.unregister(name);
      }
    }
    return await engine.query(finalSql(input, groups, results, entityTable, rowId));
  } finally {
    for (const { name, kind } of made.reverse()) {
      await engine.unregister(name).catch(() => undefined);
      await engine.exec(`DROP ${kind} IF EXISTS ${q(name)}`).catch(() => undefined);
    }
  }
}

/** Groups joins and stream joins by the entity columns they join on, in first-seen order. */
function keyGroups(input: PointInTimeSqlInput): KeyGroup[] {
  const groups = new Map<string, KeyGroup>();
  const groupOf = (j: JoinInput | StreamSqlInput) => {
    const columns = [...new Set(entityColumnsOf(j))].sort();
    const id = JSON.stringify(columns);
    let group = groups.get(id);
    if (!group) groups.set(id, (group = { columns, joins: [], streams: [] }));
    return group;
  };
  for (const j of input.joins) groupOf(j).joins.push(j);
  for (const s of input.streams ?? []) groupOf(s).streams.push(s);
  return [...groups.values()];
}

/**
 * A source key as the entity column's type, so equal values hash alike whatever each side
 * stores (the join compares them after the same widening). A value the entity type cannot
 * hold equals no entity value: TRY_CAST makes it NULL and it lands in some partition unmatched.
 */
function castTo(column: string, from: string | undefined, to: string): string {
  return from !== undefined && from.toUpperCase() === to.toUpperCase() ? column : `TRY_CAST(${column} AS ${to})`;
}

/** Every entity row in its order, each view's columns from its group's result, as the one-statement plan lays them out. */
function finalSql(input: PointInTimeSqlInput, groups: readonly KeyGroup[], results: readonly string[], entityTable: string, rowId: string): string {
  const ts = input.timestampColumn;
  const groupIndex = (j: JoinInput | StreamSqlInput) => groups.findIndex((g) => g.joins.includes(j as JoinInput) || g.streams.includes(j as StreamSqlInput));
  const selects = [`e.* EXCLUDE (${q(rowId)}) REPLACE (${timestampExpr(ts, input.entityTypes.get(ts)).replaceAll(q(ts), `e.${q(ts)}`)} AS ${q(ts)})`];
  for (const j of [...input.joins, ...(input.streams ?? [])]) {
    const g = groupIndex(j);
    for (const c of j.join.columns) selects.push(`r${g}.${q(c.output)} AS ${q(c.output)}`);
  }
  const joins = results.map((r, g) => `LEFT JOIN ${q(r)} AS r${g} ON r${g}.${q(rowId)} = e.${q(rowId)}`);
  return `SELECT ${selects.join(', ')} FROM ${q(entityTable)} AS e ${joins.join(' ')} ORDER BY e.${q(rowId)}`;
}
