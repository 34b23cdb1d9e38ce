import type { Command } from 'commander';
import { formatValueType } from '../definitions/index.js';
import type { FeatureStore } from '../store/feature-store.js';
import { withRepo } from './context.js';
import { formatTable } from './output.js';

/** One `list` subcommand: how to read its objects and show each as a table row. */
interface Listing<T> {
  readonly description: string;
  readonly load: (store: FeatureStore) => Promise<T[]>;
  readonly headers: readonly string[];
  readonly row: (object: T) => string[];
}

const listing = <T>(l: Listing<T>): Listing<unknown> => l as Listing<unknown>;
const names = (values: readonly { name: string }[]) => values.map((v) => v.name).join(', ');

/** Feast's `list` groups, with the columns its tables show where they apply. */
export const LISTINGS: Readonly<Record<string, Listing<unknown>>> = {
  entities: listing({
    description: 'entities: name, join key and value type',
    load: (s) => s.listEntities(),
    headers: ['NAME', 'JOIN KEY', 'TYPE', 'DESCRIPTION'],
    row: (e) => [e.name, e.joinKeys[0], formatValueType(e.valueType), e.description ?? ''],
  }),
  'feature-views': listing({
    description: 'batch feature views: entities, features, ttl and source',
    load: (s) => s.listFeatureViews(),
    headers: ['NAME', 'ENTITIES', 'FEATURES', 'TTL (s)', 'SOURCE'],
    row: (v) => [v.name, v.entities.join(', ') || '(none)', names(v.features), String(v.ttlSeconds), v.batchSource.name],
  }),
  'on-demand-feature-views': listing({
    description: 'on-demand feature views: inputs and outputs',
    load: (s) => s.listOnDemandFeatureViews(),
    headers: ['NAME', 'SOURCES', 'FEATURES', 'MODE'],
    row: (v) => [v.name, [...v.sources.map((p) => p.alias ?? p.viewName), ...v.requestSources.map((r) => r.name)].join(', '), names(v.features), v.mode],
  }),
  'stream-feature-views': listing({
    description: 'stream feature views: entities, aggregations (function, column, window/slide) and push source',
    load: (s) => s.listStreamFeatureViews(),
    headers: ['NAME', 'ENTITIES', 'FEATURES', 'AGGREGATIONS', 'SOURCE'],
    row: (v) => [
      v.name,
      v.entities.join(', '),
      names(v.features),
      v.aggregations.map((a) => `${a.fn}(${a.column}) ${a.windowSeconds}s/${a.slideSeconds}s`).join(', '),
      v.source.name,
    ],
  }),
  'feature-services': listing({
    description: 'feature services: the feature references each one serves',
    load: (s) => s.listFeatureServices(),
    headers: ['NAME', 'FEATURES'],
    row: (f) => [f.name, f.projections.flatMap((p) => p.features.map((x) => `${p.alias ?? p.viewName}:${x}`)).join(', ')],
  }),
  'data-sources': listing({
    description: 'data sources: file, push and request sources',
    load: (s) => s.listDataSources(),
    headers: ['NAME', 'KIND', 'PATH'],
    row: (d) => [d.name, d.kind, d.kind === 'fileSource' ? d.path : d.kind === 'pushSource' ? d.batchSource.path : ''],
  }),
  'saved-datasets': listing({
    description: 'saved datasets: training sets persisted by get-historical-features --save-as',
    load: (s) => s.listSavedDatasets(),
    headers: ['NAME', 'ROWS', 'FEATURES', 'PATH'],
    row: (d) => [d.name, String(d.rowCount), String(d.features.length), d.storage.path],
  }),
};

/** `list <kind>`: one subcommand per kind, each with its own --help and --json. */
export function registerListCommands(program: Command): void {
  const kinds = Object.keys(LISTINGS).join(', ');
  const list = program
    .command('list')
    .description(`list registry objects of one kind: ${kinds}`)
    // Reached only when no subcommand matched: a one-line error instead of the whole usage.
    .argument('[kind]', kinds)
    .action((kind?: string) => {
      throw new Error(kind === undefined ? `list: name a kind: ${kinds}` : `list: unknown kind '${kind}'; expected one of ${kinds}`);
    });
  for (const [kind, l] of Object.entries(LISTINGS)) {
    list
      .command(kind)
      .description(`list ${l.description}`)
      .option('--json', 'print the objects as JSON instead of a table')
      .action((options: { json?: boolean }) =>
        withRepo(program, async ({ store }) => {
          const objects = await l.load(store);
          console.log(options.json ? JSON.stringify(objects, null, 2) : formatTable(l.headers, objects.map(l.row)));
        }),
      );
  }
}
