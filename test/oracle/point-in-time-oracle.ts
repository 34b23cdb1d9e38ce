/**
 * A brute-force point-in-time join written from Feast's documented semantics
 * (DESIGN.md section 5, FEAST_FACTS.md section 3), with no SQL and nothing shared with
 * the code under test: nested loops over plain rows. It is the independent expectation
 * the product's SQL is checked against.
 *
 * Timestamps are integer microseconds since the epoch, UTC (bigint). Per entity row
 * (order and duplicates kept) and per projection:
 * - candidates: source rows (after the field mapping renames) whose join keys all equal
 *   the entity row's columns (through the join-key map; none for an entity-less view),
 *   never on a null key, with `entity_ts - ttl <= feature_ts <= entity_ts` (both
 *   inclusive, ttl 0 = no lower bound); with `filterByCreatedTimestamp` and a created
 *   column, also `created <= entity_ts` (a null created never qualifies);
 * - winner: largest feature_ts, ties to the largest created (a null created is lowest);
 * - no candidate: null features, the entity row kept;
 * - several winners that tie on both: any of their values is acceptable, so a cell is
 *   the list of acceptable values.
 */

export type Micros = bigint;
export type PlainRow = Readonly<Record<string, unknown>>;

export interface OracleSource {
  /** Raw source rows, column names as stored (before the field mapping). */
  readonly rows: readonly PlainRow[];
  /** The event timestamp column (bigint microseconds; null never qualifies). */
  readonly timestampField: string;
  readonly createdTimestampColumn?: string;
  /** Source column -> feature or join-key name. */
  readonly fieldMapping?: Readonly<Record<string, string>>;
}

export interface OracleProjection {
  readonly view: string;
  readonly alias?: string;
  /** The view's join keys (names after the field mapping); empty for an entity-less view. */
  readonly joinKeys: readonly string[];
  /** View join key -> entity dataframe column. */
  readonly joinKeyMap?: Readonly<Record<string, string>>;
  readonly features: readonly string[];
  /** 0 means no lower bound. */
  readonly ttl: Micros;
  readonly source: OracleSource;
}

export interface OracleRequest {
  readonly entityRows: readonly PlainRow[];
  readonly entityTimestampColumn?: string;
  readonly projections: readonly OracleProjection[];
  readonly fullFeatureNames: boolean;
  readonly filterByCreatedTimestamp?: boolean;
}

/** Each cell lists every acceptable value (one, unless candidates tie exactly). */
export type OracleRow = Record<string, unknown[]>;

export interface OracleResult {
  /** Entity dataframe columns in order, then the feature columns in request order. */
  readonly columns: string[];
  readonly rows: OracleRow[];
}

/** Two requested features would produce one column name (Feast's FeatureNameCollisionError). */
export class OracleFeatureNameCollision extends Error {
  constructor(column: string) {
    super(`two requested features produce the column '${column}'`);
    this.name = 'FeatureNameCollisionError';
  }
}

const isNull = (v: unknown): v is null | undefined => v === null || v === undefined;

/** A join-key value as a comparable token: integers by value whatever their JS type. */
function keyToken(v: unknown): string {
  if (typeof v === 'bigint') return `n:${v}`;
  if (typeof v === 'number' && Number.isInteger(v)) return `n:${BigInt(v)}`;
  if (typeof v === 'number') return `f:${v}`;
  return `${typeof v}:${String(v)}`;
}

function keysEqual(a: unknown, b: unknown): boolean {
  if (isNull(a) || isNull(b)) return false;
  return keyToken(a) === keyToken(b);
}

function asMicros(v: unknown, what: string): Micros | null {
  if (isNull(v)) return null;
  if (typeof v !== 'bigint') throw new Error(`oracle: ${what} must be bigint microseconds, got ${typeof v}`);
  return v;
}

/** Renames source columns by the field mapping; unmapped columns keep their names. */
function mapRow(row: PlainRow, mapping: Readonly<Record<string, string>>): PlainRow {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) out[mapping[column] ?? column] = value;
  return out;
}

/** Column order of the entity dataframe: first appearance across the rows. */
function entityColumns(rows: readonly PlainRow[]): string[] {
  const seen: string[] = [];
  for (const row of rows) for (const k of Object.keys(row)) if (!seen.includes(k)) seen.push(k);
  return seen;
}

/** Compares (ts, created) pairs; a null created is lower than any created. */
function compareVersion(aTs: Micros, aCreated: Micros | null, bTs: Micros, bCreated: Micros | null): number {
  if (aTs !== bTs) return aTs > bTs ? 1 : -1;
  if (aCreated === bCreated) return 0;
  if (aCreated === null) return -1;
  if (bCreated === null) return 1;
  return aCreated > bCreated ? 1 : -1;
}

function featureColumn(p: OracleProjection, feature: string, full: boolean): string {
  return full ? `${p.alias ?? p.view}__${feature}` : feature;
}

/** The expected result of a historical retrieval. */
export function pointInTimeOracle(request: OracleRequest): OracleResult {
  const tsColumn = request.entityTimestampColumn ?? 'event_timestamp';
  const full = request.fullFeatureNames;
  const entityCols = entityColumns(request.entityRows);
  const columns = [...entityCols];
  for (const p of request.projections) {
    for (const feature of p.features) {
      const column = featureColumn(p, feature, full);
      if (columns.includes(column)) throw new OracleFeatureNameCollision(column);
      columns.push(column);
    }
  }
  const mapped = request.projections.map((p) => p.source.rows.map((r) => mapRow(r, p.source.fieldMapping ?? {})));

  const rows = request.entityRows.map((entity) => {
    const out: OracleRow = {};
    for (const c of entityCols) out[c] = [entity[c] ?? null];
    const entityTs = asMicros(entity[tsColumn], `entity column '${tsColumn}'`);
    request.projections.forEach((p, index) => {
      const created = p.source.createdTimestampColumn;
      const timestampName = p.source.fieldMapping?.[p.source.timestampField] ?? p.source.timestampField;
      const createdName = created === undefined ? undefined : (p.source.fieldMapping?.[created] ?? created);
      let winners: PlainRow[] = [];
      let bestTs: Micros | undefined;
      let bestCreated: Micros | null = null;
      for (const row of mapped[index]) {
        if (entityTs === null) break;
        let match = true;
        for (const key of p.joinKeys) {
          if (!keysEqual(row[key], entity[p.joinKeyMap?.[key] ?? key])) {
            match = false;
            break;
          }
        }
        if (!match) continue;
        const ts = asMicros(row[timestampName], `source column '${timestampName}'`);
        if (ts === null || ts > entityTs) continue;
        if (p.ttl > 0n && ts < entityTs - p.ttl) continue;
        const createdTs = createdName === undefined ? null : asMicros(row[createdName], `source column '${createdName}'`);
        if (request.filterByCreatedTimestamp && createdName !== undefined) {
          if (createdTs === null || createdTs > entityTs) continue;
        }
        const order = bestTs === undefined ? 1 : compareVersion(ts, createdTs, bestTs, bestCreated);
        if (order > 0) {
          winners = [row];
          bestTs = ts;
          bestCreated = createdTs;
        } else if (order === 0) {
          winners.push(row);
        }
      }
      for (const feature of p.features) {
        const values = winners.length === 0 ? [null] : winners.map((w) => w[feature] ?? null);
        out[featureColumn(p, feature, full)] = dedupe(values);
      }
    });
    return out;
  });
  return { columns, rows };
}

function dedupe(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) if (!out.some((o) => Object.is(o, v))) out.push(v);
  return out;
}
