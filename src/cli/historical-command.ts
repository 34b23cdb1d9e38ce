import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openFeatureStore } from '../runtime/node/open-feature-store.js';
import type { GlobalOptions } from './main.js';

interface Options { entityDf: string; features?: string; featureService?: string; fullFeatureNames?: boolean; output: string; saveAs?: string }

export function registerHistoricalCommand(program: Command, globals: () => GlobalOptions): void {
  program.command('get-historical-features')
    .description('build a point-in-time correct training set from an entity file (CSV or Parquet)')
    .requiredOption('--entity-df <file>', 'entity rows: join keys and event_timestamp (CSV or Parquet)')
    .option('--features <refs>', 'comma-separated view:feature references')
    .option('--feature-service <name>', 'a feature service instead of --features')
    .option('--full-feature-names', 'name columns view__feature')
    .requiredOption('--output <file>', 'where to write the result (.csv or .parquet)')
    .option('--save-as <name>', 'also save the result as a dataset in the registry')
    .action(async (options: Options) => {
      if (!options.features === !options.featureService) throw new Error('give exactly one of --features or --feature-service');
      const format = options.output.toLowerCase().endsWith('.parquet') ? 'parquet' : options.output.toLowerCase().endsWith('.csv') ? 'csv' : undefined;
      if (!format) throw new Error(`--output: expected a .csv or .parquet file name, got '${options.output}'`);
      const { store } = await openFeatureStore({ repoPath: globals().repo });
      try {
        const job = store.getHistoricalFeatures({
          entityDf: { path: resolve(options.entityDf) },
          ...(options.features ? { features: options.features.split(',').map((f) => f.trim()).filter(Boolean) } : { featureService: options.featureService }),
          fullFeatureNames: options.fullFeatureNames ?? false,
        });
        const table = await job.toArrow();
        await writeFile(options.output, format === 'csv' ? await job.toCSV() : await job.toParquet());
        if (options.saveAs) await job.persist(options.saveAs);
        console.log(`Wrote ${table.numRows} rows x ${table.numCols} columns to ${options.output}`);
      } finally {
        await store.close();
      }
    });
}
