/**
 * The feature server on the deno binary: online store in Deno KV, the feature repo
 * imported as `feast-edge-definitions` (map it in deno.json `imports`) and applied at
 * startup, options from the environment (FEAST_PROJECT, FEAST_READ_TOKEN, ... as for the
 * Worker, see edge-app.ts).
 *   deno run --unstable-kv --config deno.json --allow-net --allow-read --allow-write --allow-env \
 *     worker/deno.ts [--kv ./online.kv] [--port 6566] [--hostname 127.0.0.1]
 * Flags win over FEAST_KV_PATH, FEAST_PORT and FEAST_HOSTNAME. Without a path, Deno KV
 * opens its default database (on Deno Deploy, the project's KV).
 */
import * as repo from 'feast-edge-definitions';
import { DenoKvOnlineStore, type DenoKvLike } from '../src/online/deno-kv-online-store.js';
import { createEdgeApp, type EdgeVariables } from './edge-app.js';

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
function setting(flag: string, variable: string): string | undefined {
  const at = Deno.args.findIndex((a) => a === `--${flag}` || a.startsWith(`--${flag}=`));
  if (at >= 0) return Deno.args[at].includes('=') ? Deno.args[at].slice(flag.length + 3) : Deno.args[at + 1];
  return Deno.env.get(variable) || undefined;
}

const port = Number(setting('port', 'FEAST_PORT') ?? 6566);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: expected a port number 0-65535, got ${port}`);
const hostname = setting('hostname', 'FEAST_HOSTNAME') ?? '127.0.0.1';
const vars: EdgeVariables = Object.fromEntries(
  ['FEAST_PROJECT', 'FEAST_READ_TOKEN', 'FEAST_WRITE_TOKEN', 'FEAST_CORS_ORIGINS', 'FEAST_MAX_BODY_BYTES'].map((name) => [name, Deno.env.get(name)]),
);

const kvPath = setting('kv', 'FEAST_KV_PATH');
const store = new DenoKvOnlineStore(await Deno.openKv(kvPath));
const app = await createEdgeApp(repo as Record<string, unknown>, store, vars);
const server = Deno.serve({
  port, hostname,
  onListen: (address) => console.log(`feast-edge listening on http://${address.hostname}:${address.port}/`),
}, (request) => app.fetch(request));

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
