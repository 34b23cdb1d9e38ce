import { existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { loadRepoConfig } from '../runtime/node/repo-config.js';
import { globalOptions } from './context.js';
import { buildEdgeBundle, type EdgeTarget } from './edge/edge-bundle.js';
import { writeDeployTemplate } from './edge/deploy-template.js';
import { didYouMean } from './suggest.js';

const TARGETS = ['workerd', 'deno', 'all'] as const;

function target(text: string): (typeof TARGETS)[number] {
  if ((TARGETS as readonly string[]).includes(text)) return text as (typeof TARGETS)[number];
  throw new InvalidArgumentError(`expected one of ${TARGETS.join(', ')}.${didYouMean(text, TARGETS)}`);
}

const kb = (bytes: number) => `${bytes.toLocaleString('en-US')} bytes (${(bytes / 1024).toFixed(1)} KB)`;

/** `build-edge` and `deploy-template`: the repo as a Cloudflare Worker or a Deno server, from an installed package. */
export function registerEdgeCommands(program: Command): void {
  program
    .command('build-edge')
    .description(
      "bundle the repo's feature server as one ES module: dist-edge/edge.js for Cloudflare Workers (workerd, online store in Workers KV) and/or dist-edge/deno.js for Deno (Deno KV); prints where and how big",
    )
    .option('--target <target>', `what to build: ${TARGETS.join(', ')}`, target, 'all')
    .option('--out <dir>', 'the folder to write into (default: dist-edge in the repo)')
    .option(
      '--registry <file>',
      "the registry to serve as it is, Feast's registry.db or a feast-edge .json (default: the repo's registry when applied, else the definitions are applied at start)",
    )
    .option('--project <name>', 'the project to read from a registry.db holding several')
    .addHelpText('after', '\nThen: feast-edge deploy-template (wrangler.toml, deno.json), wrangler deploy or deno task serve-edge.')
    .action(async (options: { target: (typeof TARGETS)[number]; out?: string; registry?: string; project?: string }) => {
      const repoPath = globalOptions(program).repo;
      const config = await loadRepoConfig(repoPath);
      const outDir = resolve(options.out ?? join(repoPath, 'dist-edge'));
      const registryPath = options.registry ? resolve(options.registry) : existsSync(config.registryPath) ? config.registryPath : undefined;
      const targets: EdgeTarget[] = options.target === 'all' ? ['workerd', 'deno'] : [options.target];
      const shown = (path: string) => relative(process.cwd(), path) || '.';
      for (const t of targets) {
        const bundle = await buildEdgeBundle({
          repoPath,
          outDir,
          target: t,
          ...(registryPath ? { registryPath } : {}),
          ...(options.project ? { project: options.project } : {}),
        });
        console.log(`Wrote ${shown(bundle.file)} (${t}): ${kb(bundle.bytes)}, ${kb(bundle.gzipBytes)} gzipped`);
        if (t === targets[targets.length - 1]) {
          console.log(
            bundle.registryFile
              ? `Serves the registry ${shown(registryPath!)} (as ${shown(bundle.registryFile)}), with the code of ${bundle.modules.length} repo module(s)`
              : `Applies the definitions of ${bundle.modules.join(', ')} at start (no registry file: run 'feast-edge apply' to serve the applied registry)`,
          );
        }
      }
    });

  program
    .command('deploy-template')
    .description(
      'write wrangler.toml (the Worker dist-edge/edge.js, its KV namespace bound as FEAST_ONLINE, compatibility date, project) and deno.json (deno task serve-edge) into the repo',
    )
    .option('--out <dir>', 'the folder to write into (default: the repo)')
    .option('--bundle-dir <dir>', 'where build-edge wrote the bundles (default: dist-edge in the repo)')
    .option('--namespace-id <id>', 'the KV namespace id (wrangler kv namespace create FEAST_ONLINE prints it); default a placeholder')
    .option('--kv <path>', 'the Deno KV file the Deno server opens (default: data/online.kv in the repo)')
    .option('--force', 'overwrite wrangler.toml and deno.json if they exist')
    .action(async (options: { out?: string; bundleDir?: string; namespaceId?: string; kv?: string; force?: boolean }) => {
      const repoPath = globalOptions(program).repo;
      const config = await loadRepoConfig(repoPath);
      const dir = resolve(options.out ?? repoPath);
      const written = await writeDeployTemplate(
        {
          dir,
          project: config.project,
          bundleDir: resolve(options.bundleDir ?? join(repoPath, 'dist-edge')),
          ...(options.namespaceId ? { namespaceId: options.namespaceId } : {}),
          force: options.force ?? false,
        },
        resolve(options.kv ?? join(repoPath, 'data', 'online.kv')),
      );
      for (const path of written) console.log(`Wrote ${relative(process.cwd(), path) || path}`);
      console.log('Next: feast-edge build-edge, then wrangler deploy (Cloudflare) or deno task serve-edge (Deno).');
    });
}
