import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import type { ContractOutcome } from './store-contract-cases.js';
import { reportForeignContract } from './store-contract.js';

// The store runs in the real deno binary (from the `deno` npm package) on our TypeScript
// sources; deno.json turns on Deno KV and sloppy imports (`.js` specifiers find `.ts` files).
const DENO = fileURLToPath(new URL('../../node_modules/.bin/deno', import.meta.url));
const CONFIG = fileURLToPath(new URL('./deno/deno.json', import.meta.url));
const ENTRY = fileURLToPath(new URL('./deno/deno-kv-entry.ts', import.meta.url));
const STORE = new URL('../../src/runtime/deno/deno-kv-online-store.ts', import.meta.url).href;

const dir = mkdtempSync(join(tmpdir(), 'feast-edge-denokv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Permissions for `deno run`: the KV files, and the one environment variable msgpackr's Node entry reads. */
const RUN = [`--allow-read=${dir}`, `--allow-write=${dir}`, '--allow-env=MSGPACKR_NATIVE_ACCELERATION_DISABLED'];

/** Runs deno and resolves to its stdout. */
function deno(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      DENO,
      [args[0], '--config', CONFIG, ...(args[0] === 'run' ? RUN : []), ...args.slice(1)],
      { env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' }, maxBuffer: 16 * 1024 * 1024, timeout: 110_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`deno ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

const runEntry = async (...args: string[]): Promise<unknown> => JSON.parse((await deno(['run', ENTRY, ...args])).trim().split('\n').at(-1)!);

reportForeignContract('Deno KV (deno)', async () => (await runEntry('contract', join(dir, 'contract.kv'))) as ContractOutcome[]);

it('keeps rows when a second deno process reopens the KV file', async () => {
  const file = join(dir, 'persist.kv');
  expect(await runEntry('write', file)).toEqual({ written: 2, skipped: 0 });
  expect(await runEntry('read', file)).toEqual({ eventTimestamps: ['1618221600000001', null, '1618221600000000'], values: { x: ['eight', null, 0.25] } });
});

it("refuses a whole batch when one row is over Deno KV's 64 KiB value limit, before any commit", async () => {
  const { error, event } = (await runEntry('oversize', join(dir, 'oversize.kv'))) as { error: string | null; event: string | null };
  expect(error).toMatch(/keys\[1\]: the row is \d+ bytes, over Deno KV's 65536/);
  expect(event).toBeNull();
});

it('keeps the newest event per key while two deno processes write the same keys at once', async () => {
  const file = join(dir, 'race.kv');
  // The file is created before the race, as a deployed store's is: the race is between writes.
  expect(await runEntry('init', file)).toEqual({});
  const start = String(Date.now() + 3_000);
  const [a, b] = (await Promise.all([runEntry('race', file, '1', start), runEntry('race', file, '2', start)])) as string[][];
  // Each key must hold the newer of the two processes' newest events, never an older one a racing write put back.
  const expected = a.map((e, k) => (BigInt(e) > BigInt(b[k]) ? e : b[k]));
  const script = join(dir, 'read-race.ts');
  writeFileSync(
    script,
    `
    import { DenoKvOnlineStore } from ${JSON.stringify(STORE)};
    import { encodeEntityKey } from ${JSON.stringify(new URL('../../src/online/entity-key.ts', import.meta.url).href)};
    import { Int64 } from ${JSON.stringify(new URL('../../src/definitions/index.ts', import.meta.url).href)};
    const store = new DenoKvOnlineStore(await Deno.openKv(${JSON.stringify(file)}));
    const keys = Array.from({ length: 40 }, (_, k) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: 100 + k }]));
    const { eventTimestamps, values } = await store.read('deno', 'race', keys, ['event']);
    console.log(JSON.stringify({ events: eventTimestamps.map(String), values: values.event }));
    await store.close();
  `,
  );
  const stored = JSON.parse((await deno(['run', script])).trim()) as { events: string[]; values: string[] };
  expect(stored.events).toEqual(expected);
  expect(stored.values).toEqual(expected);
});

it("passes Deno's own type check with Deno.openKv()'s result as the store's KV", async () => {
  const script = join(dir, 'typecheck.ts');
  writeFileSync(
    script,
    `
    import { DenoKvOnlineStore } from ${JSON.stringify(STORE)};
    const store = new DenoKvOnlineStore(await Deno.openKv(':memory:'));
    await store.close();
  `,
  );
  await expect(deno(['check', script])).resolves.toBeDefined();
});
