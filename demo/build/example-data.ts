import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initRepo, refreshExampleRepo } from '../../src/cli/init/init-repo.js';
import { newestSampleEvent } from '../../src/cli/init/sample-data.js';
import { DEFINITIONS_TS } from '../../src/cli/init/template.js';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';

/**
 * Makes the demo's example repo with `feast-edge init`'s own code, or refreshes it (its
 * registry and online store kept) when its template is older than the CLI's or its data
 * was generated before the current hour: the data is relative to the time it was made,
 * and `npm start` should serve PRESENT features on the day it runs.
 */
export async function ensureExampleRepo(dir: string, now = new Date()): Promise<'created' | 'refreshed' | 'current'> {
  if (!existsSync(join(dir, 'feature_store.yaml'))) {
    await initRepo(dir, { now });
    return 'created';
  }
  const data = join(dir, 'data', 'driver_stats.parquet');
  const definitions = join(dir, 'definitions.ts');
  const stale =
    !existsSync(data) ||
    !existsSync(definitions) ||
    (await readFile(definitions, 'utf8')) !== DEFINITIONS_TS ||
    newestSampleEvent(statSync(data).mtime).getTime() < newestSampleEvent(now).getTime();
  if (!stale) return 'current';
  await refreshExampleRepo(dir, { now });
  return 'refreshed';
}

/** The newest driver event time of the example repo's data (ISO 8601), or undefined when it has no data yet. */
export async function exampleDataEnd(dir: string): Promise<string | undefined> {
  const data = join(dir, 'data', 'driver_stats.parquet');
  if (!existsSync(data)) return undefined;
  const engine = await createNodeEngine();
  try {
    await engine.registerFile('example_driver_stats', data, 'parquet');
    const table = await engine.query(`SELECT strftime(max(event_timestamp), '%Y-%m-%dT%H:%M:%SZ') AS newest FROM example_driver_stats`);
    return String(table.getChild('newest')?.get(0));
  } finally {
    await engine.close();
  }
}
