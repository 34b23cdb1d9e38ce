import { Table } from 'apache-arrow';
import { formatFromPath, type FileFormat, type FileSource } from '../../definitions/index.js';
import type { EntityDf } from '../../retrieval/types.js';
import { arrowFromRows } from '../../arrow/arrow-from-rows.js';
import { describeColumns, isTimestampType } from '../../sql/describe.js';
import { EntityTimestampInferenceException, InvalidEntityDfError } from '../../errors.js';
import { quoteIdent, type SqlEngine } from '../../sql/sql-engine.js';

/** The entity dataframe once it is an engine view. */
export interface RegisteredEntityDf {
  readonly view: string;
  readonly types: Map<string, string>;
  readonly timestampColumn: string;
}

export const DEFAULT_TIMESTAMP_COLUMN = 'event_timestamp';

export interface EntityDfContext {
  /** Loads a file source as a view of the given name (for SQL entity dataframes). */
  loadSource(source: FileSource, view: string): Promise<void>;
  fileSources: readonly FileSource[];
}

/** Registers any accepted entity dataframe shape as `view` and finds its timestamp column. */
export async function registerEntityDf(engine: SqlEngine, entityDf: EntityDf, view: string, context: EntityDfContext): Promise<RegisteredEntityDf> {
  if (Array.isArray(entityDf)) {
    const rows = entityDf as readonly Record<string, unknown>[];
    if (rows.length === 0) throw new InvalidEntityDfError('entityDf: expected at least one row');
    const hasDefault = rows.some((r) => r && typeof r === 'object' && DEFAULT_TIMESTAMP_COLUMN in r);
    await engine.registerArrow(
      view,
      arrowFromRows(rows, {
        timestampColumns: hasDefault ? [DEFAULT_TIMESTAMP_COLUMN] : [],
        where: 'entityDf',
      }),
    );
  } else if (entityDf instanceof Table) {
    await engine.registerArrow(view, entityDf);
  } else if ('sql' in entityDf) {
    if (typeof entityDf.sql !== 'string' || entityDf.sql.trim() === '') {
      throw new InvalidEntityDfError('entityDf.sql: expected a SELECT statement');
    }
    // Sources named in the query are made available under their own names.
    for (const source of context.fileSources) {
      if (new RegExp(`\\b${source.name.replace(/[.-]/g, '\\$&')}\\b`).test(entityDf.sql)) await context.loadSource(source, source.name);
    }
    await engine.registerQuery(view, entityDf.sql);
  } else if ('bytes' in entityDf) {
    await engine.registerBytes(view, entityDf.bytes, formatOf(entityDf.format, 'entityDf'));
  } else if ('path' in entityDf) {
    const format = formatOf(entityDf.format ?? formatFromPath(entityDf.path), 'entityDf');
    if (/^https?:\/\//i.test(entityDf.path)) {
      const response = await fetch(entityDf.path);
      if (!response.ok) throw new InvalidEntityDfError(`entityDf: GET ${entityDf.path} answered ${response.status}`);
      await engine.registerBytes(view, new Uint8Array(await response.arrayBuffer()), format);
    } else {
      await engine.registerFile(view, entityDf.path, format);
    }
  } else {
    throw new InvalidEntityDfError('entityDf: expected rows, an Arrow table, { path }, { bytes, format } or { sql }');
  }
  const types = await describeColumns(engine, { view });
  const timestampColumn = findTimestampColumn(types);
  await checkTimestampText(engine, view, timestampColumn, types.get(timestampColumn));
  return { view, types, timestampColumn };
}

/**
 * Text timestamps (a CSV, a SQL query) are parsed inside the join; a value that is no
 * timestamp would fail there as a DuckDB conversion error. Found first, it is named.
 */
async function checkTimestampText(engine: SqlEngine, view: string, column: string, type: string | undefined): Promise<void> {
  if (type?.toUpperCase() !== 'VARCHAR') return;
  const c = quoteIdent(column);
  const bad = await engine.query(`SELECT ${c} AS v FROM ${quoteIdent(view)} WHERE ${c} IS NOT NULL AND TRY_CAST(${c} AS TIMESTAMPTZ) IS NULL LIMIT 1`);
  if (bad.numRows > 0) {
    throw new InvalidEntityDfError(
      `entityDf column '${column}': ${JSON.stringify(bad.getChild('v')?.get(0))} is not a timestamp (expected ISO 8601, such as 2021-04-12T10:59:42Z)`,
    );
  }
}

function findTimestampColumn(types: Map<string, string>): string {
  if (types.has(DEFAULT_TIMESTAMP_COLUMN)) return DEFAULT_TIMESTAMP_COLUMN;
  const candidates = [...types].filter(([, t]) => isTimestampType(t)).map(([n]) => n);
  if (candidates.length === 1) return candidates[0];
  throw new EntityTimestampInferenceException(
    `entityDf: no '${DEFAULT_TIMESTAMP_COLUMN}' column and ${candidates.length === 0 ? 'no timestamp column' : `several timestamp columns (${candidates.join(', ')})`}; name the entity timestamp column '${DEFAULT_TIMESTAMP_COLUMN}'`,
  );
}

function formatOf(format: unknown, where: string): FileFormat {
  if (format === 'parquet' || format === 'csv') return format;
  throw new InvalidEntityDfError(`${where}.format: expected 'parquet' or 'csv', got ${JSON.stringify(format)}`);
}
