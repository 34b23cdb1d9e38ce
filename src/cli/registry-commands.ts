import type { Command } from 'commander';
import { openFeatureStore } from '../runtime/node/open-feature-store.js';
import { formatDiff, formatTable } from './output.js';
import type { GlobalOptions } from './main.js';

const LISTS: Record<string, { load: (s: Awaited<ReturnType<typeof openFeatureStore>>['store']) => Promise<{ name: string }[]>; columns: (o: never) => string[]; headers: string[] }> = {
  entities: { load: (s) => s.listEntities(), headers: ['NAME', 'JOIN KEY', 'TYPE', 'DESCRIPTION'],
    columns: (e: { name: string; joinKeys: string[]; valueType: { kind: string }; description?: string }) => [e.name, e.joinKeys[0], e.valueType.kind, e.description ?? ''] },
  'feature-views': { load: (s) => s.listFeatureViews(), headers: ['NAME', 'ENTITIES', 'FEATURES', 'TTL (s)', 'SOURCE'],
    columns: (v: { name: string; entities: string[]; features: { name: string }[]; ttlSeconds: number; batchSource: { name: string } }) =>
      [v.name, v.entities.join(',') || '(none)', String(v.features.length), String(v.ttlSeconds), v.batchSource.name] },
  'on-demand-feature-views': { load: (s) => s.listOnDemandFeatureViews(), headers: ['NAME', 'SOURCES', 'OUTPUTS', 'MODE'],
    columns: (v: { name: string; sources: { viewName: string }[]; requestSources: { name: string }[]; features: { name: string }[]; mode: string }) =>
      [v.name, [...v.sources.map((s) => s.viewName), ...v.requestSources.map((r) => r.name)].join(','), v.features.map((f) => f.name).join(','), v.mode] },
  'feature-services': { load: (s) => s.listFeatureServices(), headers: ['NAME', 'FEATURES'],
    columns: (f: { name: string; projections: { viewName: string; alias?: string; features: string[] }[] }) =>
      [f.name, f.projections.map((p) => p.features.map((x) => `${p.alias ?? p.viewName}:${x}`).join(',')).join(',')] },
  'data-sources': { load: (s) => s.listDataSources(), headers: ['NAME', 'KIND', 'PATH'],
    columns: (d: { name: string; kind: string; path?: string; batchSource?: { path: string } }) => [d.name, d.kind, d.path ?? d.batchSource?.path ?? ''] },
  'saved-datasets': { load: (s) => s.listSavedDatasets(), headers: ['NAME', 'ROWS', 'FEATURES', 'PATH'],
    columns: (d: { name: string; rowCount: number; features: string[]; storage: { path: string } }) => [d.name, String(d.rowCount), String(d.features.length), d.storage.path] },
};

export function registerRegistryCommands(program: Command, globals: () => GlobalOptions): void {
  program.command('plan').description('show what apply would change in the registry, without writing')
    .action(async () => {
      const { store, definitions } = await openFeatureStore({ repoPath: globals().repo });
      console.log(formatDiff(await store.plan(definitions), { add: 'Would create', change: 'Would update', remove: 'Would delete' }));
    });

  program.command('apply').description("register the repo's definitions (entities, sources, views, services) in the registry")
    .action(async () => {
      const { store, definitions } = await openFeatureStore({ repoPath: globals().repo });
      console.log(formatDiff(await store.apply(definitions), { add: 'Created', change: 'Updated', remove: 'Deleted' }));
    });

  program.command('teardown').description("delete the project's registry")
    .action(async () => {
      const { store, config } = await openFeatureStore({ repoPath: globals().repo });
      await store.teardown();
      console.log(`Removed the registry of project '${config.project}'.`);
    });

  program.command('registry-dump').description('print the registry document as JSON')
    .action(async () => {
      const { store } = await openFeatureStore({ repoPath: globals().repo });
      console.log(JSON.stringify(await store.registryDocument(), null, 2));
    });

  program.command('list').description(`list registry objects of one kind: ${Object.keys(LISTS).join(', ')}`)
    .argument('<kind>', Object.keys(LISTS).join(' | '))
    .option('--json', 'print JSON instead of a table')
    .action(async (kind: string, options: { json?: boolean }) => {
      const list = LISTS[kind];
      if (!list) throw new Error(`unknown kind '${kind}'; expected one of ${Object.keys(LISTS).join(', ')}`);
      const { store } = await openFeatureStore({ repoPath: globals().repo });
      const objects = await list.load(store);
      if (options.json) console.log(JSON.stringify(objects, null, 2));
      else console.log(formatTable(list.headers, objects.map((o) => list.columns(o as never))));
    });
}
