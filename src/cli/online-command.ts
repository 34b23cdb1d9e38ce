import type { Command } from 'commander';
import { collect, withRepo } from './context.js';

/** A value from the command line: whole numbers as numbers (bigint beyond 2^53), anything else as written. */
function entityValue(text: string): unknown {
  if (/^-?\d+$/.test(text)) return Number.isSafeInteger(Number(text)) ? Number(text) : BigInt(text);
  if (/^-?\d*\.\d+$/.test(text)) return Number(text);
  return text;
}

/** Feast's `-e driver_id=1001 -e driver_id=1002`: one column per key, one row per repetition. */
function entityColumns(pairs: readonly string[]): Record<string, unknown[]> {
  const columns: Record<string, unknown[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--entities: expected key=value such as driver_id=1001, got '${pair}'`);
    (columns[pair.slice(0, eq)] ??= []).push(entityValue(pair.slice(eq + 1)));
  }
  const lengths = new Set(Object.values(columns).map((c) => c.length));
  if (lengths.size > 1)
    throw new Error(
      `--entities: every key needs the same number of values; got ${Object.entries(columns)
        .map(([k, v]) => `${k} x${v.length}`)
        .join(', ')}`,
    );
  return columns;
}

/** `get-online-features`: Feast's command; prints `to_dict()` as JSON, as Feast does. */
export function registerOnlineCommand(program: Command): void {
  program
    .command('get-online-features')
    .description("read the latest feature values of entities from the online store and print them as JSON (Feast's to_dict())")
    .option(
      '-e, --entities <key=value>',
      'an entity key value such as driver_id=1001 (request data too, e.g. val_to_add=1); repeat it for more rows',
      (v, p: string[] = []) => [...p, v],
    )
    .option('-f, --features <refs>', 'a feature reference view:feature; repeat it, or give several comma-separated', collect)
    .option('--feature-service <name>', 'a feature service instead of --features')
    .option('--full-feature-names', 'name feature columns view__feature')
    .addHelpText('after', '\nExample:\n  feast-edge get-online-features -e driver_id=1001 -e driver_id=1002 -f driver_hourly_stats:conv_rate')
    .action((options: { entities?: string[]; features?: string[]; featureService?: string; fullFeatureNames?: boolean }) => {
      if (!options.entities?.length) throw new Error('give the entity keys with -e/--entities key=value');
      if (!options.features?.length === !options.featureService) throw new Error('give exactly one of -f/--features or --feature-service');
      const entityRows = entityColumns(options.entities);
      return withRepo(program, async ({ store }) => {
        const response = await store.getOnlineFeatures({
          ...(options.features?.length ? { features: options.features } : { featureService: options.featureService }),
          entityRows,
          fullFeatureNames: options.fullFeatureNames ?? false,
        });
        console.log(
          JSON.stringify(
            response.toDict(),
            function (this: Record<string, unknown>, key, v) {
              const raw = this[key];
              if (raw instanceof Date) return raw.getTime() / 1000;
              if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
              return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
            },
            4,
          ),
        );
      });
    });
}
