import { createEdgeApp, type EdgeAppOptions, type EdgeVariables } from '../../server/edge-app.js';
import { DenoKvOnlineStore, type DenoKvLike } from './deno-kv-online-store.js';

// What this file needs of Deno's global, so tsc in Node type-checks it without Deno's types.
declare const Deno: {
  args: string[];
  env: { get(name: string): string | undefined };
  openKv(path?: string): Promise<DenoKvLike>;
  serve(
    options: { port: number; hostname: string; onListen?(address: { hostname: string; port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void> };
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
};

/** `--name value` or `--name=value` from the command line, else the environment variable. */
export function denoSetting(flag: string, variable: string): string | undefined {
  const at = Deno.args.findIndex((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
  if (at >= 0) return Deno.args[at].includes('=') ? Deno.args[at].slice(flag.length + 3) : Deno.args[at + 1];
  return Deno.env.get(variable) || undefined;
}

/**
 * Serves the feature server on the deno binary until SIGTERM or SIGINT: online store in
 * Deno KV, the repo's definitions applied at startup, options from flags and the
 * environment (`--kv PATH` / FEAST_KV_PATH, `--port` / FEAST_PORT (default 6566),
 * `--hostname` / FEAST_HOSTNAME (default 127.0.0.1); FEAST_PROJECT, FEAST_READ_TOKEN, ...
 * as for the Worker). Without a KV path Deno KV opens its default database (on Deno
 * Deploy, the project's KV). `options.registry` is a registry document to serve as it is
 * (the definitions then only supply transform code); see targets/deno.ts for `--registry`.
 * @example import * as repo from './feature_repo/definitions.ts';
 *          await serveDeno(repo);
 */
export async function serveDeno(repo: Record<string, unknown>, options: EdgeAppOptions = {}): Promise<void> {
  const port = Number(denoSetting('port', 'FEAST_PORT') ?? 6566);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected a port number 0-65535, got ${port}`);
  const hostname = denoSetting('hostname', 'FEAST_HOSTNAME') ?? '127.0.0.1';
  const vars: EdgeVariables = Object.fromEntries(
    ['FEAST_PROJECT', 'FEAST_READ_TOKEN', 'FEAST_WRITE_TOKEN', 'FEAST_CORS_ORIGINS', 'FEAST_MAX_BODY_BYTES'].map((name) => [name, Deno.env.get(name)]),
  );
  const store = new DenoKvOnlineStore(await Deno.openKv(denoSetting('kv', 'FEAST_KV_PATH')));
  const app = await createEdgeApp(repo, store, vars, options);
  const server = Deno.serve(
    {
      port,
      hostname,
      onListen: (address) => console.log(`feast-edge listening on http://${address.hostname}:${address.port}/`),
    },
    (request) => app.fetch(request),
  );

  // Finish the requests in flight and close the KV file before exiting.
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void server.shutdown().finally(() => store.close());
  };
  Deno.addSignalListener('SIGTERM', stop);
  Deno.addSignalListener('SIGINT', stop);
  await server.finished;
}
