#!/usr/bin/env node
import { resolve } from 'node:path';
import { Command } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { initRepo } from './init/init-repo.js';
import { registerHistoricalCommand } from './historical-command.js';
import { registerRegistryCommands } from './registry-commands.js';

export interface GlobalOptions { repo: string; verbose?: boolean }

const program = new Command('feast-edge')
  .description('feast-edge: a Feast-compatible feature store for Node, browsers, Deno and the edge')
  .option('-c, --repo <dir>', 'the feature repo (holds feature_store.yaml); Feast calls this --chdir', process.cwd())
  .option('--chdir <dir>', 'alias of --repo')
  .option('--verbose', 'print stack traces on errors')
  .showHelpAfterError('(run with --help for usage)');

const globals = (): GlobalOptions => {
  const options = program.opts<{ repo: string; chdir?: string; verbose?: boolean }>();
  return { repo: resolve(options.chdir ?? options.repo), verbose: options.verbose };
};

program.command('init').description('create an example feature repo with generated sample data')
  .argument('[dir]', 'directory to create', 'feature_repo')
  .action(async (dir: string) => {
    const root = await initRepo(dir);
    console.log(`Created an example repo in ${root}\nNext: cd ${dir} && feast-edge apply`);
  });

registerRegistryCommands(program, globals);
registerHistoricalCommand(program, globals);

program.command('version').description('print the feast-edge version').action(() => console.log(packageJson.version));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const err = error as Error;
  if (globals().verbose) console.error(err.stack);
  console.error(`error: ${(err.message ?? String(err)).split('\n')[0]}`);
  process.exitCode = 1;
}
