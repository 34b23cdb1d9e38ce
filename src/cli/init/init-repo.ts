import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createNodeEngine } from '../../runtime/node/duckdb/engine.js';
import { generateSampleData, newestSampleEvent } from './sample-data.js';
import { DEFINITIONS_TS, entityDfCsv, FEATURE_STORE_YAML, readmeMd } from './template.js';

export interface InitOptions {
  /** The time the data is generated relative to (default: now). */
  readonly now?: Date;
}

let written = 0;

/** Replaces a file whole: readers (another process serving the repo) see the old file or the new one. */
async function replaceFile(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${++written}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

/**
 * Writes the template's files and data generated relative to `now` into `root`, each
 * file replaced whole; the registry and the online store, if any, are left alone.
 */
async function writeExampleFiles(root: string, now: Date): Promise<void> {
  const newest = newestSampleEvent(now);
  await mkdir(join(root, 'data'), { recursive: true });
  await replaceFile(join(root, 'feature_store.yaml'), FEATURE_STORE_YAML);
  await replaceFile(join(root, 'definitions.ts'), DEFINITIONS_TS);
  await replaceFile(join(root, 'README.md'), readmeMd(newest));
  await replaceFile(join(root, 'data', 'entity_df.csv'), entityDfCsv(newest));
  const engine = await createNodeEngine();
  try {
    const data = await generateSampleData(engine, newest);
    await replaceFile(join(root, 'data', 'driver_stats.parquet'), data.driverStats);
    await replaceFile(join(root, 'data', 'customer_profile.parquet'), data.customerProfile);
  } finally {
    await engine.close();
  }
}

/** Writes the example repo into `dir` (which must be empty or absent) and its generated data. */
export async function initRepo(dir: string, options: InitOptions = {}): Promise<string> {
  const root = resolve(dir);
  if (existsSync(root) && (await readdir(root)).length > 0) {
    throw new Error(`${root} is not empty; choose a new directory`);
  }
  await writeExampleFiles(root, options.now ?? new Date());
  return root;
}

/**
 * Rewrites an example repo made by `initRepo` with the current template and data
 * generated relative to `now`, keeping its registry and online store (the demo build
 * refreshes its repo this way, so `npm start` serves data of the day).
 */
export async function refreshExampleRepo(dir: string, options: InitOptions = {}): Promise<string> {
  const root = resolve(dir);
  await writeExampleFiles(root, options.now ?? new Date());
  return root;
}
