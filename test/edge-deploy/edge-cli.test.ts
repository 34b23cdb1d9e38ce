import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PackedInstall, packedInstall, runCli } from './packed-install.js';

// The edge commands' help, typo suggestions and refusals, from a packed install that lacks vite.
let install: PackedInstall;
let repo: string;
const fails = async (args: string[]) => {
  try {
    await runCli(install, args, repo);
  } catch (error) {
    return (error as Error).message.split('\n')[1];
  }
  throw new Error(`feast-edge ${args.join(' ')} succeeded`);
};

beforeAll(async () => {
  install = packedInstall('feast-edge-packed-cli-', { without: ['vite'] });
  await runCli(install, ['init', 'repo'], install.dir);
  repo = join(install.dir, 'repo');
}, 120_000);
afterAll(() => install?.remove());

it('explains both commands in their help', async () => {
  expect(await runCli(install, ['build-edge', '--help'], repo)).toMatch(
    /dist-edge\/edge\.js for\s+Cloudflare Workers[\s\S]*--target <target>[\s\S]*workerd, deno, all/,
  );
  expect(await runCli(install, ['deploy-template', '--help'], repo)).toMatch(/wrangler\.toml[\s\S]*FEAST_ONLINE[\s\S]*--namespace-id <id>/);
});

it('suggests the command or target meant by a typo', async () => {
  expect(await fails(['build-egde'])).toMatch(/^error: .*build-egde.*\(Did you mean build-edge\?\)/);
  expect(await fails(['build-edge', '--target', 'workred'])).toMatch(/expected one of workerd, deno, all\.? ?\(Did you mean workerd\?\)/);
});

it('without vite installed, build-edge says what to install, in one line', async () => {
  expect(await fails(['build-edge'])).toBe('error: build-edge: needs the vite package to bundle the Worker; install it: npm install --save-dev vite');
});

it('deploy-template does not overwrite a wrangler.toml unless --force', async () => {
  writeFileSync(join(repo, 'wrangler.toml'), 'name = "mine"\n');
  expect(await fails(['deploy-template'])).toBe(`error: deploy-template: ${join(repo, 'wrangler.toml')} exists; pass --force to overwrite it`);
  expect(readFileSync(join(repo, 'wrangler.toml'), 'utf8')).toBe('name = "mine"\n');
  await runCli(install, ['deploy-template', '--force'], repo);
  expect(readFileSync(join(repo, 'wrangler.toml'), 'utf8')).toContain('binding = "FEAST_ONLINE"');
});
