import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { FIXTURE_PROJECT } from '../server/fixture-definitions.js';
import { expectWriteTokenOnlyRule, fetchSend, WRITE_TOKEN } from './write-token-cases.js';

// targets/deno.ts on the deno binary from npm, with only FEAST_WRITE_TOKEN in its environment.
const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));
const CONFIG = fileURLToPath(new URL('../server/deno/deno.json', import.meta.url));
const ENTRY = fileURLToPath(new URL('../../targets/deno.ts', import.meta.url));

it('with only FEAST_WRITE_TOKEN set, the Deno server leaves reads open and guards writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-deno-token-'));
  const child = spawn(
    DENO,
    [
      'run',
      '--config',
      CONFIG,
      '--allow-net=127.0.0.1',
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      '--allow-env',
      ENTRY,
      '--kv',
      join(dir, 'online.kv'),
      '--port',
      '0',
    ],
    {
      env: { ...process.env, FEAST_PROJECT: FIXTURE_PROJECT, FEAST_WRITE_TOKEN: WRITE_TOKEN, FEAST_READ_TOKEN: '', NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const origin = await new Promise<string>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`deno did not listen within 90 s:\n${output}`)), 90_000);
      const look = (data: Buffer) => {
        output += data.toString();
        const found = output.match(/listening on (http:\/\/[^\s/]+)\//);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.once('exit', (code) => reject(new Error(`deno exited (${code}):\n${output}`)));
    });
    await expectWriteTokenOnlyRule(fetchSend(origin));
    expect(child.exitCode).toBeNull();
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
