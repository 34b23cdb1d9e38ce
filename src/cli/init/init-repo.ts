import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createNodeEngine } from '../../runtime/node/duckdb/engine.js';
import { generateSampleData } from './sample-data.js';
import { DEFINITIONS_TS, ENTITY_DF_CSV, FEATURE_STORE_YAML, README_MD } from './template.js';

/** Writes the example repo into `dir` (which must be empty or absent) and its generated data. */
export async function initRepo(dir: string): Promise<string> {
  const root = resolve(dir);
  if (existsSync(root) && (await readdir(root)).length > 0) {
    throw new Error(`${root} is not empty; choose a new directory`);
  }
  await mkdir(join(root, 'data'), { recursive: true });
  await writeFile(join(root, 'feature_store.yaml'), FEATURE_STORE_YAML);
  await writeFile(join(root, 'definitions.ts'), DEFINITIONS_TS);
  await writeFile(join(root, 'README.md'), README_MD);
  await writeFile(join(root, 'data', 'entity_df.csv'), ENTITY_DF_CSV);
  const engine = await createNodeEngine();
  try {
    const data = await generateSampleData(engine);
    await writeFile(join(root, 'data', 'driver_stats.parquet'), data.driverStats);
    await writeFile(join(root, 'data', 'customer_profile.parquet'), data.customerProfile);
  } finally {
    await engine.close();
  }
  return root;
}
