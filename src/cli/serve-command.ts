import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { openRepo } from './context.js';
import { startFeatureServer } from '../runtime/node/serve.js';

interface ServeOptions {
  host: string;
  port: number;
  registryTtl: number;
  corsOrigins?: string;
  maxBodyBytes?: number;
  ui?: string;
}

function port(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return value;
}

function seconds(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) throw new InvalidArgumentError('expected seconds, 0 or more.');
  return value;
}

function bytes(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < 1) throw new InvalidArgumentError('expected a number of bytes, 1 or more.');
  return value;
}

function folder(text: string): string {
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

/**
 * `serve`: Feast's `feast serve`, the HTTP feature server over the repo's store, until
 * SIGTERM or SIGINT. A signal stops new connections, lets requests in flight finish,
 * closes the store, and exits 0; a second signal cuts the remaining connections.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      "serve Feast's HTTP feature-server API (get-online-features, push, write-to-online-store, materialize, health, registry, metrics) over the repo's store until SIGTERM or Ctrl-C",
    )
    .option('--host <host>', 'interface to listen on; 0.0.0.0 for every interface', '127.0.0.1')
    .option('-p, --port <port>', 'TCP port (0: any free port)', port, 6566)
    .option('--registry-ttl <seconds>', "how long the registry is reused before a newer apply is looked for (Feast's registry_ttl_sec)", seconds, 5)
    .option('--cors-origins <origins>', "comma-separated origins browsers may call from, or '*' (default: none)")
    .option('--max-body-bytes <bytes>', 'largest request body; larger ones are refused with 413 (default: 1048576)', bytes)
    .option(
      '--ui <dir>',
      "also serve the files of <dir> (a built web app such as the demo, demo/dist) at the same origin, '/' being its index.html; the feature-server routes keep priority and auth tokens do not apply to the files",
      folder,
    )
    .addHelpText(
      'after',
      '\nAuth: set FEAST_EDGE_READ_TOKEN and/or FEAST_EDGE_WRITE_TOKEN to require "Authorization: Bearer <token>"\n(the write token also reads; /health stays open).',
    )
    .action(async (options: ServeOptions) => {
      const readToken = process.env.FEAST_EDGE_READ_TOKEN || undefined;
      const writeToken = process.env.FEAST_EDGE_WRITE_TOKEN || undefined;
      const { store, config } = await openRepo(program);
      // Feast's kubernetes/oidc auth is not checked here: serving without a token would serve everyone.
      if (config.authType !== 'no_auth' && !readToken && !writeToken) {
        await store.close();
        throw new Error(
          `feature_store.yaml sets auth type '${config.authType}', which feast-edge does not check; set FEAST_EDGE_READ_TOKEN and/or FEAST_EDGE_WRITE_TOKEN to serve with bearer tokens`,
        );
      }
      const origins = options.corsOrigins
        ?.split(',')
        .map((o) => o.trim())
        .filter(Boolean);
      const server = await startFeatureServer(store, {
        host: options.host,
        port: options.port,
        registryTtlSeconds: options.registryTtl,
        ...(origins?.length ? { corsOrigins: origins.includes('*') ? ('*' as const) : origins } : {}),
        ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
        ...(options.ui ? { staticDir: options.ui } : {}),
        ...(readToken || writeToken ? { auth: { readToken, writeToken } } : {}),
      }).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
      console.log(`Serving project '${config.project}' at ${server.url} (registry ttl ${options.registryTtl} s). SIGTERM or Ctrl-C stops it.`);
      if (options.ui) console.log(`Web app from ${options.ui} at ${server.url}/`);
      // Not an error: an apply from another process is picked up once the ttl passes.
      if ((await store.registry.version()) === 0)
        console.error(`warning: project '${config.project}' has no registry yet; requests fail until \`feast-edge apply\` runs`);
      await new Promise<void>((resolve, reject) => {
        let signals = 0;
        const stop = (signal: NodeJS.Signals) => {
          signals++;
          if (signals > 1) {
            console.log(`${signal} again: cutting the remaining connections.`);
            server.server.closeAllConnections();
            return;
          }
          console.log(`${signal}: shutting down; finishing requests in flight.`);
          server
            .close()
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
    });
}
