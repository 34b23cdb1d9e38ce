import { Command, CommanderError } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };
import { globalOptions } from './context.js';
import { errorLine, isCleanExit } from './errors.js';
import { registerHistoricalCommand } from './historical-command.js';
import { registerInitCommand } from './init/init-command.js';
import { registerListCommands } from './list-commands.js';
import { registerConfigurationCommand } from './configuration-command.js';
import { registerEdgeCommands } from './edge-commands.js';
import { registerMaterializeCommands } from './materialize-commands.js';
import { registerOnlineCommand } from './online-command.js';
import { registerRegistryCommands } from './registry-commands.js';
import { registerServeCommand } from './serve-command.js';
import { registerUiCommand } from './ui-command.js';

/** The feast-edge CLI: Feast's command names and options where they apply. */
function buildProgram(): Command {
  const program = new Command('feast-edge')
    .description('feast-edge: a Feast-compatible feature store for Node, browsers, Deno and the edge')
    .option('--repo <dir>', 'the feature repo, the folder holding feature_store.yaml (default: the current folder)')
    .option('-c, --chdir <dir>', "alias of --repo (Feast's name)")
    .option('--verbose', 'print the stack trace of an error')
    .version(packageJson.version, '-V, --version', 'print the feast-edge version')
    // Errors come back to main() as exceptions so every one prints as a single line.
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  registerInitCommand(program);
  registerRegistryCommands(program);
  registerListCommands(program);
  registerHistoricalCommand(program);
  registerMaterializeCommands(program);
  registerOnlineCommand(program);
  registerServeCommand(program);
  registerUiCommand(program);
  registerConfigurationCommand(program);
  registerEdgeCommands(program);

  program
    .command('version')
    .description('print the feast-edge version')
    .action(() => console.log(packageJson.version));
  return program;
}

/** Runs the CLI on `argv` (process.argv's shape) and returns the exit code. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  // No command at all: show the usage and succeed, as `feast` does.
  if (argv.length <= 2) {
    program.outputHelp();
    return 0;
  }
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (isCleanExit(error)) return 0;
    // Commander's own errors are about usage; their stack would only show commander's insides.
    if (globalOptions(program).verbose && error instanceof Error && !(error instanceof CommanderError) && error.stack) console.error(error.stack);
    console.error(errorLine(error));
    return 1;
  }
}
