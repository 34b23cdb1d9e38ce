import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import type { Command } from 'commander';
import { plainValues } from '../arrow/arrow-types.js';
import { collect, withRepo } from './context.js';

interface Options {
  entityDf?: string;
  dataframe?: string;
  features?: string[];
  featureService?: string;
  fullFeatureNames?: boolean;
  output?: string;
  saveAs?: string;
  startDate?: string;
  endDate?: string;
}

/** The output format from the file name, so the user never states it twice. */
function outputFormat(output: string): 'csv' | 'parquet' {
  const lower = output.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.parquet')) return 'parquet';
  throw new Error(`--output: expected a file name ending in .csv or .parquet, got '${output}'`);
}

/** Feast's `-d/--dataframe`: a JSON list of entity rows. */
function dataframeRows(text: string): Record<string, unknown>[] {
  let rows: unknown;
  try {
    rows = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `--dataframe: not JSON (${(error as Error).message}); expected a list of rows such as '[{"driver_id": 1001, "event_timestamp": "2021-04-12T10:59:42"}]'`,
    );
  }
  if (!Array.isArray(rows) || rows.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
    throw new Error('--dataframe: expected a JSON list of row objects');
  }
  return rows as Record<string, unknown>[];
}

/** Feast prints `to_df().to_json(orient="records", indent=4)`: timestamps as epoch milliseconds. */
function jsonRecords(table: Table): string {
  const columns = table.schema.fields.map((f) => [f.name, plainValues(table.getChild(f.name))] as const);
  const rows = Array.from({ length: table.numRows }, (_, i) => Object.fromEntries(columns.map(([name, values]) => [name, values[i]])));
  return JSON.stringify(
    rows,
    function (this: Record<string, unknown>, key, v) {
      // The raw value: JSON.stringify has already turned a Date into its ISO text.
      const raw = this[key];
      if (raw instanceof Date) return raw.getTime();
      if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
      return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
    },
    4,
  );
}

/** `get-historical-features`: a point-in-time correct training set, printed (as Feast) or written to a file. */
export function registerHistoricalCommand(program: Command): void {
  program
    .command('get-historical-features')
    .description('build a point-in-time correct training set: printed as JSON records (as Feast), or written as CSV or Parquet with --output')
    .option('-d, --dataframe <json>', 'entity rows as a JSON list (Feast\'s option), e.g. \'[{"driver_id": 1001, "event_timestamp": "2021-04-12T10:59:42"}]\'')
    .option('--entity-df <file>', 'entity rows from a CSV or Parquet file or URL: join keys, event_timestamp and request fields')
    .option('-f, --features <refs>', 'a feature reference view:feature; repeat it, or give several comma-separated (or give --feature-service)', collect)
    .option('--feature-service <name>', 'a feature service instead of --features')
    .option('--full-feature-names', 'name feature columns view__feature')
    .option('--output <file>', 'write the result to a .csv or .parquet file instead of printing it')
    .option('--save-as <name>', 'also save the result in the registry as a saved dataset')
    .option('-s, --start-date <date>', "Feast's entity-less retrieval: not supported (give entity rows)")
    .option('-e, --end-date <date>', "Feast's entity-less retrieval: not supported (give entity rows)")
    .addHelpText(
      'after',
      '\nExamples:\n  feast-edge get-historical-features -d \'[{"driver_id": 1001, "event_timestamp": "2021-04-12T10:59:42"}]\' -f driver_hourly_stats:conv_rate\n  feast-edge get-historical-features --entity-df data/entity_df.csv \\\n    --feature-service driver_activity --output training.parquet',
    )
    .action((options: Options) => {
      if (options.startDate || options.endDate) {
        throw new Error(
          '--start-date/--end-date (retrieval without entity rows) is not supported by feast-edge; give the entity rows with -d JSON or --entity-df FILE',
        );
      }
      if (!options.dataframe === !options.entityDf) throw new Error('give exactly one of -d/--dataframe (JSON rows) or --entity-df (a file)');
      if (!options.features?.length === !options.featureService) throw new Error('give exactly one of -f/--features or --feature-service');
      const format = options.output ? outputFormat(options.output) : undefined;
      // Relative file names are the user's, so they resolve against the shell's folder, not the repo.
      const isUrl = options.entityDf !== undefined && /^https?:\/\//i.test(options.entityDf);
      const entityFile = options.entityDf === undefined || isUrl ? options.entityDf : resolve(options.entityDf);
      if (entityFile && !isUrl && !existsSync(entityFile)) throw new Error(`--entity-df: file ${entityFile} does not exist`);
      const entityDf = options.dataframe !== undefined ? dataframeRows(options.dataframe) : { path: entityFile! };
      return withRepo(program, async ({ store }) => {
        const job = store.getHistoricalFeatures({
          entityDf,
          ...(options.features?.length ? { features: options.features } : { featureService: options.featureService }),
          fullFeatureNames: options.fullFeatureNames ?? false,
        });
        const table = await job.toArrow();
        if (options.output && format) {
          const output = resolve(options.output);
          await mkdir(dirname(output), { recursive: true });
          await writeFile(output, format === 'csv' ? await job.toCSV() : await job.toParquet());
          console.log(`Wrote ${table.numRows} rows x ${table.numCols} columns to ${output}`);
        } else {
          console.log(jsonRecords(table));
        }
        if (options.saveAs) {
          await job.persist(options.saveAs);
          console.log(`Saved dataset '${options.saveAs}' in the registry.`);
        }
      });
    });
}
