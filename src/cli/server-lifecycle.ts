import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import type { RunningFeatureServer } from '../runtime/node/serve.js';
import type { OpenedRepo } from '../runtime/node/open-feature-store.js';
import { openRepo } from './context.js';

export function port(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return value;
}

export function seconds(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError('expected seconds, 0 or more.');
  return value;
}

export function bytes(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1) throw new InvalidArgumentError('expected a number of bytes, 1 or more.');
  return value;
}

export function folder(text: string): string {
  const path = resolve(text);
  let isFolder = false;
  try {
    isFolder = statSync(path).isDirectory();
  } catch {
    /* reported below */
  }
  if (!isFolder) throw new InvalidArgumentError(`${path} is not a folder (build the demo app with \`npm run build:demo\` for demo/dist).`);
  return path;
}

/** The feast-edge package's folder (the clone, or node_modules/feast-edge), found from this file whether built or not. */
function packageRoot(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'feast-edge') return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The demo app `npm run build:demo` builds in a clone: `ui`'s default web app. */
export function defaultWebApp(): string {
  const dist = join(packageRoot() ?? process.cwd(), 'demo', 'dist');
  if (!existsSync(join(dist, 'index.html')))
    throw new Error(`no built web app at ${dist}: run \`npm run build:demo\` in a clone of feast-edge, or pass --dir with a built app's folder`);
  return dist;
}

/** Bearer tokens from the environment, as every server command reads them. */
export function tokensFromEnv(): { readToken?: string; writeToken?: string } {
  return { readToken: process.env.FEAST_EDGE_READ_TOKEN || undefined, writeToken: process.env.FEAST_EDGE_WRITE_TOKEN || undefined };
}

/** Opens the repo for serving; Feast's kubernetes/oidc auth is refused unless tokens are set, since serving without one would serve everyone. */
export async function openServedRepo(program: Command): Promise<OpenedRepo> {
  const repo = await openRepo(program);
  const { readToken, writeToken } = tokensFromEnv();
  if (repo.config.authType !== 'no_auth' && !readToken && !writeToken) {
    await repo.store.close();
    throw new Error(
      `feature_store.yaml sets auth type '${repo.config.authType}', which feast-edge does not check; set FEAST_EDGE_READ_TOKEN and/or FEAST_EDGE_WRITE_TOKEN to serve with bearer tokens`,
    );
  }
  return repo;
}

/** Warns (not an error: an apply from another process is picked up once the ttl passes) when the project has no registry yet. */
export async function warnWithoutRegistry({ store, config }: OpenedRepo): Promise<void> {
  if ((await store.registry.version()) === 0)
    console.error(`warning: project '${config.project}' has no registry yet; requests fail until \`feast-edge apply\` runs`);
}

/**
 * Serves until SIGTERM or SIGINT: a signal stops new connections on every server, lets
 * requests in flight finish, closes the store and resolves; a second signal cuts the
 * remaining connections.
 */
export function runUntilSignal(servers: readonly RunningFeatureServer[], store: OpenedRepo['store']): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let signals = 0;
    const stop = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        console.log(`${signal} again: cutting the remaining connections.`);
        for (const s of servers) s.server.closeAllConnections();
        return;
      }
      console.log(`${signal}: shutting down; finishing requests in flight.`);
      Promise.all(servers.map((s) => s.close()))
        .then(() => store.close())
        .then(() => {
          process.off('SIGTERM', stop);
          process.off('SIGINT', stop);
          console.log('Stopped.');
        })
        .then(resolve, reject);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
