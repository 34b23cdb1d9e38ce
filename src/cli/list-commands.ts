import type { Command } from 'commander';
import { stringify } from 'yaml';
import { formatValueType } from '../definitions/index.js';
import type { FeatureStore } from '../store/feature-store.js';
import { withRepo } from './context.js';
import { formatTable } from './output.js';
import { didYouMean } from './suggest.js';

/** One `list` subcommand: how to read its objects and show each as a table row. */
interface Listing<T> {
  readonly description: string;
  readonly load: (store: FeatureStore) => Promise<T[]>;
  /** One object by name; a missing one is the kind's not-found error, listing what exists. */
  readonly get: (store: FeatureStore, name: string) => Promise<T>;
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
    get: (s, n) => s.getEntity(n),
    headers: ['NAME', 'JOIN KEY', 'TYPE', 'DESCRIPTION'],
    row: (e) => [e.name, e.joinKeys[0], formatValueType(e.valueType), e.description ?? ''],
  }),
  'feature-views': listing({
    description: 'batch feature views: entities, features, ttl and source',
    load: (s) => s.listFeatureViews(),
    get: (s, n) => s.getFeatureView(n),
    headers: ['NAME', 'ENTITIES', 'FEATURES', 'TTL (s)', 'SOURCE'],
    row: (v) => [v.name, v.entities.join(', ') || '(none)', names(v.features), String(v.ttlSeconds), v.batchSource.name],
  }),
  'on-demand-feature-views': listing({
    description: 'on-demand feature views: inputs and outputs',
    load: (s) => s.listOnDemandFeatureViews(),
    get: (s, n) => s.getOnDemandFeatureView(n),
    headers: ['NAME', 'SOURCES', 'FEATURES', 'MODE'],
    row: (v) => [v.name, [...v.sources.map((p) => p.alias ?? p.viewName), ...v.requestSources.map((r) => r.name)].join(', '), names(v.features), v.mode],
  }),
  'stream-feature-views': listing({
    description: 'stream feature views: entities, aggregations (function, column, window/slide) and push source',
    load: (s) => s.listStreamFeatureViews(),
    get: (s, n) => s.getStreamFeatureView(n),
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
    get: (s, n) => s.getFeatureService(n),
    headers: ['NAME', 'FEATURES'],
    row: (f) => [f.name, f.projections.flatMap((p) => p.features.map((x) => `${p.alias ?? p.viewName}:${x}`)).join(', ')],
  }),
  'data-sources': listing({
    description: 'data sources: file, push and request sources',
    load: (s) => s.listDataSources(),
    get: (s, n) => s.getDataSource(n),
    headers: ['NAME', 'KIND', 'PATH'],
    row: (d) => [d.name, d.kind, d.kind === 'fileSource' ? d.path : d.kind === 'pushSource' ? d.batchSource.path : ''],
  }),
  'saved-datasets': listing({
    description: 'saved datasets: training sets persisted by get-historical-features --save-as',
    load: (s) => s.listSavedDatasets(),
    get: (s, n) => s.getSavedDataset(n),
    headers: ['NAME', 'ROWS', 'FEATURES', 'PATH'],
    row: (d) => [d.name, d.rowCount === undefined ? '' : String(d.rowCount), String(d.features.length), d.storage.path],
  }),
};

/** YAML has no bigint; a safe one is written as a number, a larger one as its decimal text. */
const yamlSafe = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)) : v)));

/**
 * Feast's spelling, `<kind> list` and `<kind> describe NAME` (`feast feature-views list`),
 * beside feast-edge's `list <kind>`. describe prints the object as YAML, as Feast does
 * (feast-edge's fields, not Feast's protobuf names).
 */
function registerKindGroups(program: Command): void {
  for (const [kind, l] of Object.entries(LISTINGS)) {
    const group = program.command(kind).description(`${kind}: list them or describe one`);
    group
      .command('list')
      .description(`list ${l.description}`)
      .option('--json', 'print the objects as JSON instead of a table')
      .action((options: { json?: boolean }) => printList(program, l, options));
    group
      .command('describe')
      .description(`print one of the ${kind} as YAML`)
      .argument('<name>', 'its name')
      .action((name: string) =>
        withRepo(program, async ({ store }) => {
          process.stdout.write(stringify(yamlSafe(await l.get(store, name))));
        }),
      );
  }
}

function printList(program: Command, l: Listing<unknown>, options: { json?: boolean }): Promise<void> {
  return withRepo(program, async ({ store }) => {
    const objects = await l.load(store);
    console.log(options.json ? JSON.stringify(objects, null, 2) : formatTable(l.headers, objects.map(l.row)));
  });
}

/** `list <kind>`: one subcommand per kind, each with its own --help and --json. */
export function registerListCommands(program: Command): void {
  const kinds = Object.keys(LISTINGS).join(', ');
  const list = program
    .command('list')
    .description(`list registry objects of one kind: ${kinds}`)
    // Reached only when no subcommand matched: a one-line error instead of the whole usage.
    .argument('[kind]', kinds)
    .action((kind?: string) => {
      if (kind === undefined) throw new Error(`list: name a kind: ${kinds}`);
      throw new Error(`list: unknown kind '${kind}'; expected one of ${kinds}${didYouMean(kind, Object.keys(LISTINGS))}`);
    });
  for (const [kind, l] of Object.entries(LISTINGS)) {
    list
      .command(kind)
      .description(`list ${l.description}`)
      .option('--json', 'print the objects as JSON instead of a table')
      .action((options: { json?: boolean }) => printList(program, l, options));
  }
  registerKindGroups(program);
}
