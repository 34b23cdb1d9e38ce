import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openFeatureStore, type OpenedRepo } from '../runtime/node/open-feature-store.js';

/** Options every command accepts, given before or after the command name. */
export interface GlobalOptions {
  /** Absolute path of the feature repo. */
  readonly repo: string;
  readonly verbose: boolean;
}

/** The global options as parsed; `--chdir` (Feast's name) wins over `--repo` when both are given. */
export function globalOptions(program: Command): GlobalOptions {
  const options = program.opts<{ repo?: string; chdir?: string; verbose?: boolean }>();
  return { repo: resolve(options.chdir ?? options.repo ?? process.cwd()), verbose: options.verbose ?? false };
}

/**
 * Opens the repo, runs `work`, and always closes the store, so DuckDB and file handles
 * never keep the process alive after a command.
 */
export async function withRepo<T>(program: Command, work: (repo: OpenedRepo) => Promise<T>): Promise<T> {
  const repo = await openRepo(program);
  try {
    return await work(repo);
  } finally {
    await repo.store.close();
  }
}

/**
 * Opens the repo and prints, on stderr, one `note:` line per feature_store.yaml key that
 * feast-edge treats its own way (stdout stays the command's output).
 */
export async function openRepo(program: Command): Promise<OpenedRepo> {
  const repo = await openFeatureStore({ repoPath: globalOptions(program).repo });
  for (const note of repo.config.notes) console.error(`note: ${note}`);
  return repo;
}

/** Feast's repeatable options (`-f a -f b`), each also taking a comma-separated list (feast-edge's spelling). */
export function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}
