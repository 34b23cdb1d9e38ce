import { realpathSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { Command } from 'commander';
import { initRepo } from './init-repo.js';

/** A path as a shell word: quoted only when it needs to be. */
const shellWord = (text: string) => (/^[\w./@:+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`);

/** `path` relative to the current folder when it lies below it, else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? path : rel;
}

/**
 * How the user can run this CLI again from the current folder: `npx feast-edge` when it
 * runs from an installed package (node_modules), else `node <path to main.js>`, which is
 * what works in a clone (npm exec does not resolve a package's own bin inside its source).
 */
export function cliInvocation(script = process.argv[1] ?? ''): string {
  let real = script;
  try {
    real = realpathSync(script);
  } catch {
    /* the path as given */
  }
  if (real.split(sep).includes('node_modules')) return 'npx feast-edge';
  return `node ${shellWord(shown(real))}`;
}

/** `init [dir]`: Feast's `feast init`, writing a TypeScript example repo with data generated relative to now. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('create an example feature repo (drivers and customers) with sample data generated relative to now')
    .argument('[dir]', 'the folder to create; must be empty or absent', 'feature_repo')
    .action(async (dir: string) => {
      const root = await initRepo(dir);
      const cli = `${cliInvocation()} --repo ${shellWord(shown(root))}`;
      const data = shellWord(shown(`${root}${sep}data${sep}entity_df.csv`));
      console.log(`Created an example feature repo in ${root}`);
      console.log(
        [
          'Next:',
          `  ${cli} apply`,
          `  ${cli} get-historical-features --entity-df ${data} --feature-service driver_activity --output training.csv`,
          `  ${cli} materialize-incremental $(date -u +%FT%T)`,
          `  ${cli} serve    # Feast's HTTP API on port 6566, e.g. curl -s http://127.0.0.1:6566/get-online-features -H 'content-type: application/json' -d '{"features":["driver_hourly_stats:conv_rate"],"entities":{"driver_id":[1001]}}'`,
        ].join('\n'),
      );
    });
}
