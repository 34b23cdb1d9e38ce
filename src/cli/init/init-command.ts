import { relative } from 'node:path';
import type { Command } from 'commander';
import { initRepo } from './init-repo.js';

/** `init [dir]`: Feast's `feast init`, writing a TypeScript example repo with generated data. */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('create an example feature repo (drivers and customers) with generated sample data')
    .argument('[dir]', 'the folder to create; must be empty or absent', 'feature_repo')
    .action(async (dir: string) => {
      const root = await initRepo(dir);
      const shown = relative(process.cwd(), root) || '.';
      console.log(`Created an example feature repo in ${root}`);
      console.log(
        `Next:\n  feast-edge --repo ${shown} apply\n  feast-edge --repo ${shown} get-historical-features --entity-df ${shown}/data/entity_df.csv --feature-service driver_activity --output training.csv`,
      );
    });
}
