import type { Command } from 'commander';
import { withRepo } from './context.js';
import { formatDiff } from './output.js';
import { removedObjects } from './removed-objects.js';

/** plan, apply, teardown and registry-dump: the commands that read or write the whole registry. */
export function registerRegistryCommands(program: Command): void {
  program
    .command('plan')
    .description('show what apply would create, update or delete in the registry, without writing')
    .action(() =>
      withRepo(program, async ({ store, definitions }) => {
        const diff = await store.plan(definitions, { delete: await removedObjects(store, definitions) });
        console.log(formatDiff(diff, { add: 'Would create', change: 'Would update', remove: 'Would delete' }));
      }),
    );

  program
    .command('apply')
    .description("make the registry match the repo's definitions: create, update, and delete what the code no longer defines")
    .action(() =>
      withRepo(program, async ({ store, definitions }) => {
        const diff = await store.apply(definitions, { delete: await removedObjects(store, definitions), checkSources: true });
        console.log(formatDiff(diff, { add: 'Created', change: 'Updated', remove: 'Deleted' }));
      }),
    );

  program
    .command('teardown')
    .description("delete the project's registry (source data files are left alone)")
    .action(() =>
      withRepo(program, async ({ store, config }) => {
        await store.teardown();
        console.log(`Removed the registry of project '${config.project}'.`);
      }),
    );

  program
    .command('registry-dump')
    .description('print the registry document as JSON')
    .action(() =>
      withRepo(program, async ({ store }) => {
        console.log(JSON.stringify(await store.registryDocument(), null, 2));
      }),
    );
}
