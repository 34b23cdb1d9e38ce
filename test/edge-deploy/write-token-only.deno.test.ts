import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startDenoServer } from '../server/deno-server-process.js';
import { expectWriteTokenOnlyRule, fetchSend, WRITE_TOKEN } from './write-token-cases.js';

// targets/deno.ts on the deno binary from npm, with only FEAST_WRITE_TOKEN in its environment.
it('with only FEAST_WRITE_TOKEN set, the Deno server leaves reads open and guards writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'feast-edge-deno-token-'));
  const server = await startDenoServer({ dir, kvFile: join(dir, 'online.kv'), env: { FEAST_WRITE_TOKEN: WRITE_TOKEN, FEAST_READ_TOKEN: '' } });
  try {
    await expectWriteTokenOnlyRule(fetchSend(server.origin));
  } finally {
    // Still running after the checks: a clean SIGTERM exit.
    expect(await server.stop()).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  }
});
