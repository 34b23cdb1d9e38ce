import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/runtime/node/duckdb/engine.js';
import type { SqlEngine } from '../../src/sql/sql-engine.js';
import { cliInvocation } from '../../src/cli/init/init-command.js';
import { CLI, cli, exampleRepo, ROOT } from './built-cli.js';
import { isoAt, sampleDataOf, type SampleData } from './expected-sample.js';

const COMMANDS = [
  'init',
  'plan',
  'apply',
  'teardown',
  'registry-dump',
  'get-historical-features',
  'version',
  'list',
  ...['entities', 'feature-views', 'on-demand-feature-views', 'feature-services', 'data-sources', 'saved-datasets'].map((k) => `list ${k}`),
  // Feast's spellings.
  'get-online-features',
  'configuration',
  'ui',
  ...['entities', 'feature-views', 'on-demand-feature-views', 'feature-services', 'data-sources', 'saved-datasets'].flatMap((k) => [
    `${k} list`,
    `${k} describe`,
  ]),
];

/**
 * The template's data/entity_df.csv, restated so the test notices a template change: its
 * times are offsets from the data's newest event L (or Feast's quickstart time, which joins
 * the fixed older rows).
 */
const ENTITY_ROWS = [
  { driver_id: 1001, customer_id: 2001, at: -2 * 3600 - 18, val_to_add: 1 },
  { driver_id: 1002, customer_id: 2002, at: -4 * 3600 - 47 * 60 - 50, val_to_add: 2 },
  { driver_id: 1003, customer_id: 2003, at: 40 * 60 + 26, val_to_add: 3 },
  { driver_id: 1004, customer_id: 2004, at: -19 * 3600 - 58 * 60 - 48, val_to_add: 4 },
  { driver_id: 1001, customer_id: 2005, at: '2021-04-12T10:59:42Z', val_to_add: 5 },
  { driver_id: 1099, customer_id: 2099, at: 0, val_to_add: 6 },
] as const;
const entityRows = (newest: number) =>
  ENTITY_ROWS.map(({ at, ...row }) => ({ ...row, event_timestamp: typeof at === 'string' ? at : isoAt(newest + at * 1000) }));

const run = promisify(execFile);
const cell = (text: string): number | null => (text === '' ? null : Number(text));
/** A simple CSV reader: the outputs here hold numbers and timestamps only, no quoting. */
const readCsv = async (path: string) => {
  const [header, ...lines] = (await readFile(path, 'utf8')).trim().split('\n');
  return { header: header.split(','), rows: lines.map((l) => l.split(',')) };
};
const oneErrorLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  expect(stderr).toMatch(/^error: /);
};

describe('the feast-edge CLI (built)', () => {
  let dir: string;
  let repo: string;
  let engine: SqlEngine;
  let sample: SampleData;
  beforeAll(async () => {
    ({ dir, repo } = await exampleRepo('feast-edge-cli-'));
    engine = await createNodeEngine();
    sample = await sampleDataOf(repo);
  });
  afterAll(async () => {
    await engine?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** get-historical-features of the example's driver_activity service for its entity_df.csv, with `options` after. */
  const serviceTrainingSet = (...options: string[]) =>
    cli(['--repo', repo, 'get-historical-features', '--entity-df', join(repo, 'data', 'entity_df.csv'), '--feature-service', 'driver_activity', ...options]);

  it('prints help naming the command for every command, and exits 0', async () => {
    for (const command of COMMANDS) {
      const help = await cli([...command.split(' '), '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toContain(`Usage: feast-edge ${command}`);
    }
    const top = await cli(['--help']);
    for (const command of COMMANDS.filter((c) => !c.includes(' '))) expect(top.stdout).toContain(command);
    expect((await cli(['version'])).stdout.trim()).toBe(JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')).version);
  });

  it("writes definitions that type-check against the package's types", async () => {
    // The template is a string in the CLI, so nothing else would catch a type error in it.
    const check = join(dir, 'typecheck');
    await cli(['init', check]);
    await writeFile(
      join(check, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2022',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          skipLibCheck: true,
          lib: ['ES2023', 'DOM'],
          types: [],
          paths: { 'feast-edge': [join(ROOT, 'src', 'index.ts')] },
        },
        files: ['definitions.ts'],
      }),
    );
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', check]).then(
      () => '',
      (e: { stdout: string; stderr: string }) => `${e.stdout}${e.stderr}` || 'tsc failed',
    );
    expect(tsc).toBe('');
  });

  it('applies the example repo, lists its views, and plans no change afterwards', async () => {
    const apply = await cli(['--repo', repo, 'apply']);
    expect(apply.code, apply.stderr).toBe(0);
    expect(apply.stdout).toContain('Created feature view driver_hourly_stats');
    expect(apply.stdout).toContain('Created on demand feature view transformed_conv_rate');
    const list = await cli(['--repo', repo, 'list', 'feature-views']);
    expect(list.stdout).toMatch(/^NAME\s+ENTITIES\s+FEATURES\s+TTL \(s\)\s+SOURCE/);
    expect(list.stdout).toMatch(/driver_hourly_stats\s+driver\s+conv_rate, acc_rate, avg_daily_trips\s+86400\s+driver_hourly_stats_source/);
    expect(list.stdout).toMatch(/customer_profile\s+customer\s+.*172800/);
    const json = JSON.parse((await cli(['list', 'feature-views', '--json', '--repo', repo])).stdout);
    expect(json.map((v: { name: string }) => v.name).sort()).toEqual(['customer_profile', 'driver_hourly_stats', 'driver_hourly_stats_fresh']);
    // Feast's -c/--chdir, given after the command, reaches the same repo.
    expect((await cli(['plan', '-c', repo])).stdout.trim()).toBe('No changes to the registry.');
    const dump = JSON.parse((await cli(['--repo', repo, 'registry-dump'])).stdout);
    expect(dump.project.name).toBe('driver_ranking');
    expect(Object.keys(dump.featureServices)).toEqual(['driver_activity']);
  });

  it('deletes what the code no longer defines, as feast apply does', async () => {
    const copy = join(dir, 'removal');
    await cli(['init', copy]);
    await cli(['--repo', copy, 'apply']);
    const definitions = join(copy, 'definitions.ts');
    await writeFile(definitions, (await readFile(definitions, 'utf8')).replace('export const driverStatsFresh', 'const driverStatsFresh'));
    expect((await cli(['--repo', copy, 'plan'])).stdout.trim()).toBe('Would delete feature view driver_hourly_stats_fresh');
    expect((await cli(['--repo', copy, 'apply'])).stdout.trim()).toBe('Deleted feature view driver_hourly_stats_fresh');
    expect((await cli(['--repo', copy, 'list', 'feature-views'])).stdout).not.toContain('driver_hourly_stats_fresh');
  });

  it("keeps a view's source that the module uses but does not export", async () => {
    const copy = join(dir, 'unexported-source');
    await cli(['init', copy]);
    await cli(['--repo', copy, 'apply']);
    const definitions = join(copy, 'definitions.ts');
    await writeFile(definitions, (await readFile(definitions, 'utf8')).replace('export const driverStatsSource', 'const driverStatsSource'));
    const applied = await cli(['--repo', copy, 'apply']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).not.toContain('Deleted');
    expect((await cli(['--repo', copy, 'list', 'data-sources'])).stdout).toContain('driver_hourly_stats_source');
  });

  it('writes a CSV training set whose values follow the sample data formulas, with RFC 3339 times and float32s as written', async () => {
    await cli(['--repo', repo, 'apply']);
    const entityDf = join(dir, 'entities.csv');
    const hour = 3_600_000;
    // 1002 half an hour after hour 356; 1001 then -> the corrected row; 1005 25 h after its
    // newest row -> outside the 1d ttl; 1003 exactly 1d after its newest row -> kept (inclusive).
    const rows = [
      [1002, isoAt(sample.driverTime(356) + hour / 2)],
      [1001, isoAt(sample.driverTime(356) + hour / 2)],
      [1005, isoAt(sample.newest + 25 * hour)],
      [1003, isoAt(sample.newest + 24 * hour)],
    ] as const;
    await writeFile(entityDf, `driver_id,event_timestamp\n${rows.map((r) => r.join(',')).join('\n')}\n`);
    const out = join(dir, 'train.csv');
    const result = await cli([
      '--repo',
      repo,
      'get-historical-features',
      '--entity-df',
      entityDf,
      '--features',
      'driver_hourly_stats:conv_rate,driver_hourly_stats:acc_rate,driver_hourly_stats:avg_daily_trips',
      '--output',
      out,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Wrote 4 rows x 5 columns to ${out}`);
    const csv = await readCsv(out);
    expect(csv.header).toEqual(['driver_id', 'event_timestamp', 'conv_rate', 'acc_rate', 'avg_daily_trips']);
    rows.forEach(([driver, at], i) => {
      const want = sample.driverStatsAt(driver, at);
      const [id, time, conv, acc, trips] = csv.rows[i];
      expect(Number(id)).toBe(driver);
      // The time as given, zone kept (not '2026-01-01 10:30:00', which readers take as local time).
      expect(time).toBe(at);
      // Float32 features with the digits of the formula (0.34, not 0.3400000035762787), as the demo's CSV writes them.
      expect(conv).toBe(want.conv_rate === null ? '' : String(want.conv_rate));
      expect(acc).toBe(want.acc_rate === null ? '' : String(want.acc_rate));
      expect(trips).toBe(want.avg_daily_trips === null ? '' : String(want.avg_daily_trips));
    });
    expect(csv.rows[1][2]).toBe('0.999');
    expect(csv.rows[2].slice(2)).toEqual(['', '', '']);
    expect(cell(csv.rows[3][4])).not.toBeNull();
  });

  it('writes the feature service as Parquet with full feature names, on-demand values included', async () => {
    await cli(['--repo', repo, 'apply']);
    const out = join(dir, 'service.parquet');
    const result = await serviceTrainingSet('--full-feature-names', '--output', out);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Wrote ${ENTITY_ROWS.length} rows`);
    // Read back with a plain query, in the entity file's order.
    await engine.registerFile('service', out, 'parquet');
    const table = await engine.query('SELECT * FROM service');
    const column = (name: string) =>
      Array.from({ length: table.numRows }, (_, i) => {
        const value = table.getChild(name)?.get(i);
        return typeof value === 'bigint' ? Number(value) : (value as number | null);
      });
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'driver_id',
      'customer_id',
      'event_timestamp',
      'val_to_add',
      'driver_hourly_stats__conv_rate',
      'driver_hourly_stats__avg_daily_trips',
      'customer_profile__current_balance',
      'customer_profile__avg_passenger_count',
      'customer_profile__lifetime_trip_count',
      'transformed_conv_rate__conv_rate_plus_val',
    ]);
    expect(await readFile(join(repo, 'data', 'entity_df.csv'), 'utf8')).toBe(
      `driver_id,customer_id,event_timestamp,val_to_add\n${entityRows(sample.newest)
        .map((r) => [r.driver_id, r.customer_id, r.event_timestamp, r.val_to_add].join(','))
        .join('\n')}\n`,
    );
    entityRows(sample.newest).forEach((row, i) => {
      const driver = sample.driverStatsAt(row.driver_id, row.event_timestamp);
      const customer = sample.customerProfileAt(row.customer_id, row.event_timestamp);
      expect(column('driver_id')[i]).toBe(row.driver_id);
      const close = (got: number | null, want: number | null) => (want === null ? expect(got).toBeNull() : expect(got).toBeCloseTo(want, 5));
      close(column('driver_hourly_stats__conv_rate')[i], driver.conv_rate);
      expect(column('driver_hourly_stats__avg_daily_trips')[i]).toBe(driver.avg_daily_trips);
      close(column('customer_profile__current_balance')[i], customer.current_balance);
      close(column('customer_profile__avg_passenger_count')[i], customer.avg_passenger_count);
      expect(column('customer_profile__lifetime_trip_count')[i]).toBe(customer.lifetime_trip_count);
      close(column('transformed_conv_rate__conv_rate_plus_val')[i], driver.conv_rate === null ? null : driver.conv_rate + row.val_to_add);
    });
  });

  it('answers bad input with a non-zero exit and one error line, no stack', async () => {
    const entityDf = join(repo, 'data', 'entity_df.csv');
    const cases: [string[], RegExp][] = [
      [['--repo', repo, 'get-historical-features', '--entity-df', entityDf, '--features', 'nope:x', '--output', join(dir, 'x.csv')], /feature view 'nope'/],
      [
        ['--repo', repo, 'get-historical-features', '--entity-df', entityDf, '--features', 'driver_hourly_stats:conv_rate', '-s', '2021-04-01 00:00:00'],
        /--start-date\/--end-date \(retrieval without entity rows\) is not supported/,
      ],
      [
        ['--repo', repo, 'get-historical-features', '--features', 'driver_hourly_stats:conv_rate'],
        /exactly one of -d\/--dataframe \(JSON rows\) or --entity-df/,
      ],
      [
        ['--repo', repo, 'get-historical-features', '--entity-df', entityDf, '--features', 'driver_hourly_stats:conv_rate', '--output', join(dir, 'x.json')],
        /--output: expected a file name ending in .csv or .parquet/,
      ],
      [
        ['--repo', repo, 'get-historical-features', '--entity-df', entityDf, '--output', join(dir, 'x.csv')],
        /exactly one of -f\/--features or --feature-service/,
      ],
      [
        [
          '--repo',
          repo,
          'get-historical-features',
          '--entity-df',
          join(dir, 'none.csv'),
          '--features',
          'driver_hourly_stats:conv_rate',
          '--output',
          join(dir, 'x.csv'),
        ],
        /--entity-df: file .*none.csv does not exist/,
      ],
      [
        ['--repo', repo, 'get-historical-features', '--entity-df', entityDf, '--features', 'driver_hourly_stats:nope', '--output', join(dir, 'x.csv')],
        /feature 'nope' is not in view 'driver_hourly_stats'; valid: 'conv_rate'/,
      ],
      [['--repo', repo, 'list', 'bogus'], /unknown kind 'bogus'; expected one of entities/],
      [['bogus-command'], /unknown command 'bogus-command'/],
      [['lst'], /unknown command 'lst' \(Did you mean list\?\)/],
      // Feast's habits, misspelt: each gets the suggestion a misspelt command gets.
      [['uii'], /unknown command 'uii' \(Did you mean ui\?\)/],
      [['feature-view', 'list'], /unknown command 'feature-view' \(Did you mean feature-views\?\)/],
      [['--repo', repo, 'feature-views', 'lst'], /unknown command 'lst' \(Did you mean list\?\)/],
      [['--repo', repo, 'list', 'featureviews'], /unknown kind 'featureviews'; expected one of .* \(Did you mean feature-views\?\)/],
      [
        ['--repo', repo, 'feature-views', 'describe', 'driver_hourly_stat'],
        /feature view 'driver_hourly_stat' is not in project 'driver_ranking'; valid: .* \(Did you mean driver_hourly_stats\?\)/,
      ],
      [['--repo', join(dir, 'nowhere'), 'apply'], /no feature_store.yaml in .*nowhere/],
      [['init', repo], /is not empty/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(args);
      expect(result.code, args.join(' ')).not.toBe(0);
      oneErrorLine(result.stderr);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    const broken = join(dir, 'broken');
    await cli(['init', broken]);
    await writeFile(join(broken, 'feature_store.yaml'), 'project: [unclosed\n');
    const yaml = await cli(['--repo', broken, 'apply']);
    expect(yaml.code).not.toBe(0);
    oneErrorLine(yaml.stderr);
    expect(yaml.stderr).toMatch(/^error: feature_store.yaml is not valid YAML/);
    await writeFile(join(broken, 'feature_store.yaml'), 'project: x\nonline_stor: {}\n');
    expect((await cli(['--repo', broken, 'apply'])).stderr).toMatch(/unknown key 'online_stor'; known keys: project/);
    // --verbose adds the stack for a real failure.
    expect((await cli(['--verbose', '--repo', broken, 'apply'])).stderr).toMatch(/\n\s+at /);
  });

  it('plans and applies a change showing each changed field as old -> new, as Feast prints it', async () => {
    const copy = join(dir, 'changed');
    await cli(['init', copy]);
    await cli(['--repo', copy, 'apply']);
    const definitions = join(copy, 'definitions.ts');
    const text = await readFile(definitions, 'utf8');
    await writeFile(
      definitions,
      text
        .replace("name: 'driver_hourly_stats', entities: [driver], ttl: '1d'", "name: 'driver_hourly_stats', entities: [driver], ttl: '2d'")
        .replace("field('avg_passenger_count', Float32), field('lifetime_trip_count', Int64)]", "field('avg_passenger_count', Float32)]"),
    );
    const plan = await cli(['--repo', copy, 'plan']);
    expect(plan.stdout.trim()).toBe(
      [
        'Would update feature view customer_profile',
        '  features: [current_balance, avg_passenger_count, lifetime_trip_count] -> [current_balance, avg_passenger_count]',
        'Would update feature view driver_hourly_stats',
        '  ttlSeconds: 86400 -> 172800',
        // The service embeds the view's projection: the one value that changed inside it.
        'Would update feature service driver_activity',
        '  projections[customer_profile].features: ["current_balance","avg_passenger_count","lifetime_trip_count"] -> ["current_balance","avg_passenger_count"]',
      ].join('\n'),
    );
    const apply = await cli(['--repo', copy, 'apply']);
    expect(apply.stdout).toContain('Updated feature view driver_hourly_stats\n  ttlSeconds: 86400 -> 172800');
  });

  it('init prints next commands that run as printed (no bare feast-edge, which a clone does not put on PATH)', async () => {
    const work = join(dir, 'next-steps');
    await mkdir(work);
    const sh = (command: string) => run('sh', ['-c', command], { cwd: work });
    const init = await sh(`"${process.execPath}" "${CLI}" init my_repo`);
    const next = init.stdout
      .split('\n')
      .filter((line) => line.startsWith('  '))
      .map((line) => line.trim().replace(/\s+#.*$/, ''));
    expect(next).toHaveLength(4);
    for (const command of next) expect(command).toMatch(/^(node \S+main\.js|npx feast-edge) --repo my_repo /);
    // Every command but serve (which runs until stopped), in order, from the same folder.
    const outputs: string[] = [];
    for (const command of next.filter((c) => !c.endsWith(' serve'))) outputs.push((await sh(command)).stdout);
    expect(outputs[1]).toMatch(/Wrote 6 rows x 10 columns/);
    // The data is of today: materializing up to now finds every entity's rows.
    expect(outputs[2]).toMatch(/Materialized 30 rows of 3 view\(s\)/);
    // In a clone, from its root, the command is the one the README shows; from an install, npx's.
    expect(cliInvocation(join(ROOT, 'dist', 'cli', 'main.js'))).toBe('node dist/cli/main.js');
    expect(cliInvocation('/home/me/app/node_modules/feast-edge/dist/cli/main.js')).toBe('npx feast-edge');
  });

  it('saves a dataset, lists it, and tears the registry down', async () => {
    await cli(['--repo', repo, 'apply']);
    const saved = await serviceTrainingSet('--output', join(dir, 's.csv'), '--save-as', 'training_v1');
    expect(saved.stdout).toContain("Saved dataset 'training_v1'");
    expect((await cli(['--repo', repo, 'list', 'saved-datasets'])).stdout).toMatch(/training_v1\s+6\s+6\s+data\/saved_datasets\/training_v1.parquet/);
    expect((await cli(['--repo', repo, 'teardown'])).code).toBe(0);
    for (const args of [['registry-dump'], ['list', 'entities']]) {
      const after = await cli(['--repo', repo, ...args]);
      expect(after.code).not.toBe(0);
      oneErrorLine(after.stderr);
      expect(after.stderr).toMatch(/has no registry yet; run apply first/);
    }
  });
});
