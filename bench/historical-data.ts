import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlEngine } from '../src/sql/sql-engine.js';

const DAY_US = 86_400_000_000;
const BASE = "TIMESTAMP '2024-01-01 00:00:00'";

/** Deterministic pseudo-random integer in [0, m) from a row number and a salt, in SQL. */
const rand = (i: string, salt: number, m: number | string) => `(hash(${i} * 1000003 + ${salt}) % ${m})`;

export interface HistoricalData {
  dir: string;
  entityA: string;
  viewsA: string[];
  entityB: string;
  viewsB: string[];
  sizes: { entityRowsA: number; viewRowsA: number; entityRowsB: number; viewRowsB: number; featuresB: number; drivers: number };
}

/**
 * Writes the benchmark's Parquet files once per scale with native DuckDB (fast, and
 * the same bytes every time): (a) 1M entity rows and two 10M-row views, (b) 17k entity
 * rows and ten views of 100 features each.
 */
export async function generateHistoricalData(engine: SqlEngine, scale: number, root: string): Promise<HistoricalData> {
  const sizes = {
    entityRowsA: Math.round(1_000_000 * scale),
    viewRowsA: Math.round(10_000_000 * scale),
    drivers: Math.max(10, Math.round(100_000 * scale)),
    entityRowsB: Math.round(17_000 * scale),
    viewRowsB: Math.round(50_000 * scale),
    featuresB: 100,
  };
  const dir = join(root, `scale-${scale}`);
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, `${name}.parquet`);
  const write = async (name: string, sql: string) => {
    if (!existsSync(file(name))) await engine.exec(`COPY (${sql}) TO '${file(name)}' (FORMAT parquet)`);
    return file(name);
  };
  const span = 30 * DAY_US;
  const entityA = await write(
    'entity_a',
    `SELECT ${rand('i', 1, sizes.drivers)}::BIGINT AS driver_id,
      ${BASE} + to_microseconds(${rand('i', 2, span)}::BIGINT) AS event_timestamp FROM range(${sizes.entityRowsA}) t(i)`,
  );
  const viewsA: string[] = [];
  for (const v of [1, 2]) {
    viewsA.push(
      await write(
        `view_a${v}`,
        `SELECT (i % ${sizes.drivers})::BIGINT AS driver_id,
        ${BASE} + to_microseconds(${rand('i', 10 * v, span)}::BIGINT) AS event_timestamp,
        ${BASE} + to_microseconds(${rand('i', 10 * v, span)}::BIGINT + ${rand('i', 10 * v + 1, 3_600_000_000)}::BIGINT) AS created,
        ${rand('i', 10 * v + 2, 10000)} / 10000.0 AS f1, ${rand('i', 10 * v + 3, 10000)} / 100.0 AS f2,
        ${rand('i', 10 * v + 4, 500)}::BIGINT AS f3 FROM range(${sizes.viewRowsA}) t(i)`,
      ),
    );
  }
  const driversB = Math.max(10, Math.round(5_000 * scale));
  const entityB = await write(
    'entity_b',
    `SELECT ${rand('i', 3, driversB)}::BIGINT AS driver_id,
      ${BASE} + to_microseconds(${rand('i', 4, span)}::BIGINT) AS event_timestamp FROM range(${sizes.entityRowsB}) t(i)`,
  );
  const viewsB: string[] = [];
  for (let v = 0; v < 10; v++) {
    const features = Array.from({ length: sizes.featuresB }, (_, f) => `${rand('i', 1000 * v + f, 100000)} / 1000.0 AS v${v}_f${f}`);
    viewsB.push(
      await write(
        `view_b${v}`,
        `SELECT (i % ${driversB})::BIGINT AS driver_id,
        ${BASE} + to_microseconds(${rand('i', 500 + v, span)}::BIGINT) AS event_timestamp, ${features.join(', ')}
        FROM range(${sizes.viewRowsB}) t(i)`,
      ),
    );
  }
  return { dir, entityA, viewsA, entityB, viewsB, sizes };
}
