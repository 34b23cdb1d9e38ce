import type { Command } from 'commander';
import { startFeatureServer } from '../runtime/node/serve.js';
import { announceWebApp, featureServerOptions } from './serve-command.js';
import { defaultWebApp, folder, openServedRepo, port, runUntilSignal, seconds, warnWithoutRegistry } from './server-lifecycle.js';

interface UiOptions {
  host: string;
  port: number;
  registryTtl: number;
  dir?: string;
}

/**
 * `ui`: Feast's `feast ui`, a web app for the repo on port 8888 (browsers refuse Feast's
 * API port, 6566). It serves a built web app (default: the demo app a clone builds with
 * `npm run build:demo`) and, at the same origin, the feature-server routes the app calls.
 */
export function registerUiCommand(program: Command): void {
  program
    .command('ui')
    .description(
      "serve the web app (default: this clone's demo app, demo/dist) with the repo's feature-server routes at the same origin, until SIGTERM or Ctrl-C",
    )
    .option('--host <host>', 'interface to listen on; 0.0.0.0 for every interface', '127.0.0.1')
    .option('-p, --port <port>', 'TCP port, for browsers (0: any free port)', port, 8888)
    .option('--dir <dir>', "a built web app's folder, '/' being its index.html (default: demo/dist of this clone)", folder)
    .option('--registry-ttl <seconds>', "how long the registry is reused before a newer apply is looked for (Feast's registry_ttl_sec)", seconds, 5)
    .action(async (options: UiOptions) => {
      const dir = options.dir ?? defaultWebApp();
      const repo = await openServedRepo(program);
      const server = await startFeatureServer(repo.store, { ...featureServerOptions(options), host: options.host, port: options.port, staticDir: dir }).catch(
        async (error: unknown) => {
          await repo.store.close();
          throw error;
        },
      );
      console.log(`Serving project '${repo.config.project}' with its web app. SIGTERM or Ctrl-C stops it.`);
      announceWebApp(server, dir);
      await warnWithoutRegistry(repo);
      await runUntilSignal([server], repo.store);
    });
}
