import { relative } from 'node:path';
import type { Command } from 'commander';
import type { OpenedRepo } from '../runtime/node/open-feature-store.js';
import { withRepo } from './context.js';
import type { RegistryDocument } from '../registry/document.js';
import { changedValues } from './diff-values.js';
import { formatDiff } from './output.js';
import { removedObjects } from './removed-objects.js';

/**
 * A repo whose registry is Feast's registry.db and that defines nothing in TypeScript is
 * Feast's to change: `feast apply` writes it from the Python, feast-edge reads it. With
 * TypeScript definitions, feast-edge owns the registry and writes registry.db in Feast's
 * format (deleting what the TypeScript no longer defines, as `feast apply` does).
 */
function refuseFeastOwned({ config, definitions }: OpenedRepo, command: string): void {
  if (config.registryFormat !== 'feast' || definitions.length > 0) return;
  const feast = command === 'teardown' ? 'feast teardown' : `feast ${command}`;
  throw new Error(
    `this repo's registry (${relative(config.repoPath, config.registryPath)}) is Feast's and the repo defines nothing in TypeScript: run \`${feast}\`; feast-edge reads it`,
  );
}

/** The registry before a change, to show old -> new values; undefined before the first apply. */
async function registryBefore(store: OpenedRepo['store']): Promise<RegistryDocument | undefined> {
  return (await store.registry.version()) === 0 ? undefined : store.registryDocument();
}

/** plan, apply, teardown and registry-dump: the commands that read or write the whole registry. */
export function registerRegistryCommands(program: Command): void {
  program
    .command('plan')
    .description('show what apply would create, update or delete in the registry, without writing')
    .action(() =>
      withRepo(program, async (repo) => {
        refuseFeastOwned(repo, 'plan');
        const { store, definitions } = repo;
        const before = await registryBefore(store);
        const diff = await store.plan(definitions, { delete: await removedObjects(store, definitions) });
        const values = await changedValues(before, definitions, diff);
        console.log(formatDiff(diff, { add: 'Would create', change: 'Would update', remove: 'Would delete' }, values));
      }),
    );

  program
    .command('apply')
    .description("make the registry match the repo's definitions: create, update, and delete what the code no longer defines")
    .action(() =>
      withRepo(program, async (repo) => {
        refuseFeastOwned(repo, 'apply');
        const { store, definitions } = repo;
        const before = await registryBefore(store);
        const diff = await store.apply(definitions, { delete: await removedObjects(store, definitions), checkSources: true });
        const values = await changedValues(before, definitions, diff);
        console.log(formatDiff(diff, { add: 'Created', change: 'Updated', remove: 'Deleted' }, values));
      }),
    );

  program
    .command('teardown')
    .description("delete the project's registry (source data files are left alone)")
    .action(() =>
      withRepo(program, async (repo) => {
        refuseFeastOwned(repo, 'teardown');
        const { store, config } = repo;
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
