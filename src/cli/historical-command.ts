import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { withRepo } from './context.js';

interface Options {
  entityDf: string;
  features?: string;
  featureService?: string;
  fullFeatureNames?: boolean;
  output: string;
  saveAs?: string;
}

/** The output format from the file name, so the user never states it twice. */
function outputFormat(output: string): 'csv' | 'parquet' {
  const lower = output.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet')) return 'parquet';
  throw new Error(`--output: expected a file name ending in .csv or .parquet, got '${output}'`);
}

/** `get-historical-features`: a point-in-time correct training set written to a file. */
export function registerHistoricalCommand(program: Command): void {
  program
    .command('get-historical-features')
    .description('build a point-in-time correct training set from an entity file and write it as CSV or Parquet')
    .requiredOption('--entity-df <file>', 'entity rows: join keys, event_timestamp and request fields (a CSV or Parquet file or URL)')
    .option('--features <refs>', 'comma-separated feature references view:feature (or give --feature-service)')
    .option('--feature-service <name>', 'a feature service instead of --features')
    .option('--full-feature-names', 'name feature columns view__feature')
    .requiredOption('--output <file>', 'where to write the result: a .csv or .parquet file')
    .option('--save-as <name>', 'also save the result in the registry as a saved dataset')
    .addHelpText(
      'after',
      '\nExample:\n  feast-edge get-historical-features --entity-df data/entity_df.csv \\\n    --feature-service driver_activity --output training.parquet',
    )
    .action((options: Options) => {
      if (!options.features === !options.featureService) throw new Error('give exactly one of --features or --feature-service');
      const format = outputFormat(options.output);
      // Relative file names are the user's, so they resolve against the shell's folder, not the repo.
      const isUrl = /^https?:\/\//i.test(options.entityDf);
      const entityDf = isUrl ? options.entityDf : resolve(options.entityDf);
      if (!isUrl && !existsSync(entityDf)) throw new Error(`--entity-df: file ${entityDf} does not exist`);
      const output = resolve(options.output);
      const features = options.features
        ?.split(',')
        .map((f) => f.trim())
        .filter(Boolean);
      return withRepo(program, async ({ store }) => {
        const job = store.getHistoricalFeatures({
          entityDf: { path: entityDf },
          ...(features ? { features } : { featureService: options.featureService }),
          fullFeatureNames: options.fullFeatureNames ?? false,
        });
        const table = await job.toArrow();
        await mkdir(dirname(output), { recursive: true });
        await writeFile(output, format === 'csv' ? await job.toCSV() : await job.toParquet());
        if (options.saveAs) await job.persist(options.saveAs);
        console.log(`Wrote ${table.numRows} rows x ${table.numCols} columns to ${output}`);
        if (options.saveAs) console.log(`Saved dataset '${options.saveAs}' in the registry.`);
      });
    });
}
