import type { Command } from 'commander';
import { startFeatureServer, type RunningFeatureServer, type StartFeatureServerOptions } from '../runtime/node/serve.js';
import { browsableUrl, isBrowserBlockedPort } from './browser-ports.js';
import { bytes, folder, openServedRepo, port, runUntilSignal, seconds, tokensFromEnv, warnWithoutRegistry } from './server-lifecycle.js';

interface ServeOptions {
  host: string;
  port: number;
  registryTtl: number;
  corsOrigins?: string;
  maxBodyBytes?: number;
  ui?: string;
  uiPort: number;
}

/** Feast's feature-server options, from the command line and the environment (tokens). */
export function featureServerOptions(options: { registryTtl: number; corsOrigins?: string; maxBodyBytes?: number }): StartFeatureServerOptions {
  const { readToken, writeToken } = tokensFromEnv();
  const origins = options.corsOrigins
    ?.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return {
    registryTtlSeconds: options.registryTtl,
    ...(origins?.length ? { corsOrigins: origins.includes('*') ? ('*' as const) : origins } : {}),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(readToken || writeToken ? { auth: { readToken, writeToken } } : {}),
  };
}

/** The line a web app's server prints: the URL to open (tests and scripts/start.mjs read it). */
export function announceWebApp(server: RunningFeatureServer, dir: string): void {
  const url = `${browsableUrl(server.url)}/`;
  console.log(`Web app from ${dir} at ${url} (open it in a browser; the feature-server routes answer at that origin too)`);
  const used = Number(new URL(url).port);
  if (isBrowserBlockedPort(used)) console.error(`warning: browsers refuse port ${used} (the Fetch standard's bad ports); pick another port for the web app`);
}

/**
 * `serve`: Feast's `feast serve`, the HTTP feature server over the repo's store (port
 * 6566, Feast's), until SIGTERM or SIGINT. With `--ui`, a built web app is served too, on
 * its own port (8888, as `feast ui`): browsers refuse 6566.
 */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description(
      "serve Feast's HTTP feature-server API (get-online-features, push, write-to-online-store, materialize, health, registry, metrics) over the repo's store until SIGTERM or Ctrl-C",
    )
    .option('--host <host>', 'interface to listen on; 0.0.0.0 for every interface', '127.0.0.1')
    .option('-p, --port <port>', "TCP port of the API, for clients such as curl and Feast's SDK (0: any free port)", port, 6566)
    .option('--registry-ttl <seconds>', "how long the registry is reused before a newer apply is looked for (Feast's registry_ttl_sec)", seconds, 5)
    .option('--cors-origins <origins>', "comma-separated origins browsers may call from, or '*' (default: none)")
    .option('--max-body-bytes <bytes>', 'largest request body; larger ones are refused with 413 (default: 1048576)', bytes)
    .option(
      '--ui <dir>',
      "also serve the files of <dir> (a built web app such as the demo, demo/dist) on --ui-port, '/' being its index.html; the feature-server routes answer at that origin too (they keep priority) and auth tokens do not apply to the files",
      folder,
    )
    .option(
      '--ui-port <port>',
      'TCP port of the web app given by --ui, for browsers (which refuse 6566); the same as --port serves both on one port',
      port,
      8888,
    )
    .addHelpText(
      'after',
      '\nAuth: set FEAST_EDGE_READ_TOKEN and/or FEAST_EDGE_WRITE_TOKEN to require "Authorization: Bearer <token>"\n(the write token also reads; with only a write token, reads stay open; /health stays open).',
    )
    .action(async (options: ServeOptions) => {
      const repo = await openServedRepo(program);
      const { store, config } = repo;
      const shared = { ...featureServerOptions(options), host: options.host };
      const together = options.ui !== undefined && options.uiPort === options.port && options.port !== 0;
      const servers: RunningFeatureServer[] = [];
      try {
        servers.push(await startFeatureServer(store, { ...shared, port: options.port, ...(together ? { staticDir: options.ui } : {}) }));
        if (options.ui && !together) servers.push(await startFeatureServer(store, { ...shared, port: options.uiPort, staticDir: options.ui }));
      } catch (error) {
        await Promise.all(servers.map((s) => s.close()));
        await store.close();
        throw error;
      }
      console.log(`Serving project '${config.project}' at ${servers[0].url} (registry ttl ${options.registryTtl} s). SIGTERM or Ctrl-C stops it.`);
      if (options.ui) announceWebApp(servers[servers.length - 1], options.ui);
      await warnWithoutRegistry(repo);
      await runUntilSignal(servers, store);
    });
}
