import { ConfigurationError } from '../../errors.js';
import { quoteIdent as q, type SqlEngine } from '../../sql/sql-engine.js';

/**
 * How many hash partitions a historical retrieval runs in: a number forces it, 'auto'
 * (the default) sizes it from the engine's memory limit. One partition is the
 * single-statement plan.
 */
export type PartitionOption = number | 'auto';

/** A registered view the join reads: its row count is asked of the engine, its width comes from its types. */
export interface SizedView {
  readonly view: string;
  readonly types: ReadonlyMap<string, string>;
  /** How many joins read it (a source shared by two views is joined twice). */
  readonly reads: number;
}

/** Most partitions 'auto' picks: past this the per-pass scans of the sources cost more than they save. */
const MAX_AUTO_PARTITIONS = 32;
/**
 * Bytes of join state per byte of source or entity row read by a pass. Measured on DuckDB-WASM:
 * an ASOF join holds its right side sorted, with the projected key, time, the (time, created)
 * order struct and the features, beside the left side and the output.
 */
const JOIN_STATE_FACTOR = 2.5;
/** Share of the memory limit a pass may plan for: the rest is the allocator's and the result's. */
const USABLE_SHARE = 0.7;

/** Checks a `partitions` option: 'auto' or a whole number from 1. */
export function checkPartitionOption(option: unknown, where: string): PartitionOption {
  if (option === undefined || option === 'auto') return 'auto';
  if (typeof option === 'number' && Number.isInteger(option) && option >= 1) return option;
  throw new ConfigurationError(`${where}: expected 'auto' or a whole number of partitions from 1, got ${JSON.stringify(option)}`);
}

/**
 * The partition count for one retrieval. Native DuckDB spills to disk, so 'auto' keeps one
 * pass there; DuckDB-WASM has a 32-bit heap and no disk, so 'auto' divides the join's
 * estimated state (row counts x column widths, read from the engine) by what the memory
 * limit leaves once the registered rows are held.
 */
export async function partitionCount(engine: SqlEngine, option: PartitionOption, entity: SizedView, sources: readonly SizedView[]): Promise<number> {
  if (option !== 'auto') return option;
  if (engine.name !== 'duckdb-wasm') return 1;
  const limit = await memoryLimit(engine);
  if (limit === undefined) return 1;
  const entityBytes = (await rowCount(engine, entity.view)) * rowWidth(entity.types);
  let resident = entityBytes;
  let joined = 0;
  for (const source of sources) {
    const bytes = (await rowCount(engine, source.view)) * rowWidth(source.types);
    resident += bytes;
    joined += (bytes + entityBytes) * source.reads;
  }
  const free = limit * USABLE_SHARE - resident;
  if (free <= 0) return MAX_AUTO_PARTITIONS;
  return Math.min(MAX_AUTO_PARTITIONS, Math.max(1, Math.ceil((joined * JOIN_STATE_FACTOR) / free)));
}

async function rowCount(engine: SqlEngine, view: string): Promise<number> {
  const table = await engine.query(`SELECT count(*)::DOUBLE AS n FROM ${q(view)}`);
  return Number(table.getChild('n')?.get(0) ?? 0);
}

/** DuckDB's memory_limit setting ('3.1 GiB') in bytes. */
async function memoryLimit(engine: SqlEngine): Promise<number | undefined> {
  const table = await engine.query(`SELECT current_setting('memory_limit') AS m`);
  const match = /^([\d.]+)\s*([KMGT]i?B)$/i.exec(String(table.getChild('m')?.get(0) ?? ''));
  if (!match) return undefined;
  const unit = match[2].toUpperCase();
  const power = { K: 1, M: 2, G: 3, T: 4 }[unit[0] as 'K' | 'M' | 'G' | 'T'];
  return Number(match[1]) * (unit.includes('I') ? 1024 : 1000) ** power;
}

/** Bytes a row of these DuckDB types takes in memory (strings and nested types guessed). */
export function rowWidth(types: ReadonlyMap<string, string>): number {
  let width = 0;
  for (const type of types.values()) width += typeWidth(type.toUpperCase()) + 1;
  return width;
}

function typeWidth(type: string): number {
  if (/[[\]]|^(STRUCT|MAP|UNION|LIST)/.test(type)) return 64;
  if (/^(VARCHAR|BLOB|BIT|JSON)/.test(type)) return 32;
  if (/^(BOOLEAN|TINYINT|UTINYINT)$/.test(type)) return 1;
  if (/^(SMALLINT|USMALLINT)$/.test(type)) return 2;
  if (/^(INTEGER|UINTEGER|FLOAT|DATE)$/.test(type)) return 4;
  if (/^(HUGEINT|UHUGEINT|UUID|INTERVAL)$/.test(type) || /^DECIMAL\((19|[2-3]\d)/.test(type)) return 16;
  return 8;
}
