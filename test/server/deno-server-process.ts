import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FIXTURE_PROJECT } from './fixture-definitions.js';

// targets/deno.ts on the real deno binary (from the `deno` npm package) over our TypeScript
// sources: deno.json maps `feast-edge-definitions` to the fixture repo and turns on Deno KV
// and sloppy imports.
const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));
const CONFIG = fileURLToPath(new URL('./deno/deno.json', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../targets/deno.ts', import.meta.url));
const ENV_NAMES = [
  'FEAST_PROJECT',
  'FEAST_READ_TOKEN',
  'FEAST_WRITE_TOKEN',
  'FEAST_CORS_ORIGINS',
  'FEAST_MAX_BODY_BYTES',
  'FEAST_KV_PATH',
  'FEAST_PORT',
  'FEAST_HOSTNAME',
  'FEAST_REGISTRY_PATH',
  'MSGPACKR_NATIVE_ACCELERATION_DISABLED',
];

export interface DenoServer {
  origin: string;
  /** SIGTERM: in-flight requests finish and the KV file is closed; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Kills every server still running (a test's afterAll). */
export function killDenoServers(): void {
  for (const child of running) child.kill('SIGKILL');
}

export interface DenoServerOptions {
  /** The folder the server may read and write (its KV file lives there). */
  dir: string;
  kvFile: string;
  /** A registry file it may read (`--registry`); without one it serves the fixture project. */
  registry?: string;
  /** More environment for the server (tokens). */
  env?: Record<string, string>;
}

/** Starts the server on a free port and resolves once it listens. */
export function startDenoServer({ dir, kvFile, registry, env = {} }: DenoServerOptions): Promise<DenoServer> {
  const child = spawn(
    DENO,
    [
      'run',
      '--config',
      CONFIG,
      '--allow-net=127.0.0.1',
      `--allow-read=${registry ? `${dir},${registry}` : dir}`,
      `--allow-write=${dir}`,
      `--allow-env=${ENV_NAMES.join(',')}`,
      ENTRY,
      '--kv',
      kvFile,
      '--port',
      '0',
      '--hostname',
      '127.0.0.1',
      ...(registry ? ['--registry', registry] : []),
    ],
    {
      env: { ...process.env, FEAST_PROJECT: registry ? '' : FIXTURE_PROJECT, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`deno did not listen within 90 s:\n${output}`));
    }, 90_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      const listening = output.match(/feast-edge listening on (http:\/\/[^\s/]+)\//);
      if (!listening) return;
      clearTimeout(timer);
      resolve({
        origin: listening[1],
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`deno exited (${code}) before listening:\n${output}`));
    });
  });
}
