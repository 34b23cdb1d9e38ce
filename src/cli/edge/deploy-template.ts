import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConfigurationError } from '../../errors.js';
import { BUNDLE_FILE } from './edge-bundle.js';

/** The compatibility date the Worker is tested with (miniflare's workerd runs it in test/edge-deploy). */
export const COMPATIBILITY_DATE = '2026-04-01';

export interface TemplateOptions {
  /** Where the files go (the repo by default). */
  readonly dir: string;
  readonly project: string;
  /** The bundles' folder (as `build-edge --out` wrote them). */
  readonly bundleDir: string;
  /** A KV namespace id to write; absent: a placeholder naming the command that makes one. */
  readonly namespaceId?: string;
  readonly force: boolean;
}

/** A Worker name: lowercase letters, digits and dashes. */
function workerName(project: string): string {
  return `feast-edge-${project.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`.replace(/-+$/, '');
}

/** TOML and JSON both take a JSON string literal for these plain strings. */
const quoted = (text: string) => JSON.stringify(text);

export function wranglerToml(options: TemplateOptions, main: string): string {
  return [
    `# The feast-edge feature server for project '${options.project}' on Cloudflare Workers.`,
    '# Build the Worker first: feast-edge build-edge   Then: wrangler deploy',
    `name = ${quoted(workerName(options.project))}`,
    `main = ${quoted(main)}`,
    `compatibility_date = ${quoted(COMPATIBILITY_DATE)}`,
    '# The bundle is already one ES module with everything inside.',
    'no_bundle = true',
    '',
    '# The online store. Make one with: wrangler kv namespace create FEAST_ONLINE',
    '# Fill it from Node: online_store {type: cloudflare_kv} in feature_store.yaml, then feast-edge materialize',
    '# (writes a file for: wrangler kv bulk put <file> --binding FEAST_ONLINE --remote).',
    '[[kv_namespaces]]',
    'binding = "FEAST_ONLINE"',
    `id = ${quoted(options.namespaceId ?? 'REPLACE_WITH_THE_KV_NAMESPACE_ID')}`,
    '',
    '[vars]',
    `FEAST_PROJECT = ${quoted(options.project)}`,
    '# Tokens are secrets: wrangler secret put FEAST_WRITE_TOKEN (push and writes; reads stay open),',
    '# wrangler secret put FEAST_READ_TOKEN (reads need it or the write token).',
    '# FEAST_CORS_ORIGINS = "https://app.example"',
    '',
  ].join('\n');
}

export function denoJson(bundle: string, kvPath: string): string {
  const serve = `deno run --unstable-kv --allow-net --allow-read --allow-write --allow-env ${bundle} --kv ${kvPath} --port 6566`;
  return `${JSON.stringify({ unstable: ['kv'], tasks: { 'serve-edge': serve } }, null, 2)}\n`;
}

/**
 * Writes wrangler.toml (the Worker, its KV binding FEAST_ONLINE, compatibility date,
 * project) and deno.json (a `deno task serve-edge` running the Deno bundle over a Deno KV
 * file). Refuses to overwrite either unless `force`. Returns the paths written.
 */
export async function writeDeployTemplate(options: TemplateOptions, kvPath: string): Promise<string[]> {
  const wrangler = join(options.dir, 'wrangler.toml');
  const deno = join(options.dir, 'deno.json');
  if (!options.force) {
    for (const path of [wrangler, deno]) {
      if (existsSync(path)) throw new ConfigurationError(`deploy-template: ${path} exists; pass --force to overwrite it`);
    }
  }
  await mkdir(options.dir, { recursive: true });
  const from = (file: string) => relative(options.dir, file).split('\\').join('/') || '.';
  await writeFile(wrangler, wranglerToml(options, from(join(options.bundleDir, BUNDLE_FILE.workerd))));
  await writeFile(deno, denoJson(from(join(options.bundleDir, BUNDLE_FILE.deno)), from(kvPath)));
  return [wrangler, deno];
}
