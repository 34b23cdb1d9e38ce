import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Int64 } from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb/lmdb-online-store.js';
import { CLI, exampleRepo } from '../cli/built-cli.js';

let repo: string;
let remove: () => Promise<void>;
beforeAll(async () => {
  ({ repo, remove } = await exampleRepo('feast-edge-two-process-', { apply: true }));
});
afterAll(() => remove());

const HOUR_MS = 3_600_000;
const BASE_MS = Date.UTC(2021, 3, 10);

it('a reader never sees a torn record while another process materializes into LMDB', async () => {
  // The writer: the CLI materializing hour by hour, so every driver's row is replaced again and again.
  const hours = Array.from({ length: 24 }, (_, i) => i * 3 + 2);
  const script = hours
    .map(
      (h) =>
        `await run(['--repo', ${JSON.stringify(repo)}, 'materialize', '2021-04-10T00:00:00Z', new Date(${BASE_MS} + ${h} * ${HOUR_MS}).toISOString(), '--views', 'driver_hourly_stats']);`,
    )
    .join('\n');
  const writer = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    import { execFileSync } from 'node:child_process';
    const run = (args) => execFileSync(process.execPath, [${JSON.stringify(CLI)}, ...args], { stdio: 'ignore' });
    ${script}
  `,
    ],
    { stdio: 'inherit' },
  );
  const finished = new Promise<number>((resolve) => writer.on('exit', (code) => resolve(code ?? 1)));

  // The reader: this process, reading every driver's record as fast as it can and checking
  // that its fields all come from one source row (the sample data's documented formulas).
  const store = new LmdbOnlineStore(join(repo, 'data', 'online_store.lmdb'));
  const drivers = Array.from({ length: 10 }, (_, i) => 1001 + i);
  const keys = drivers.map((d) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: d }]));
  let reads = 0;
  let seen = 0;
  let done = false;
  void finished.then(() => {
    done = true;
  });
  while (!done) {
    const result = await store.read('driver_ranking', 'driver_hourly_stats', keys, ['conv_rate', 'avg_daily_trips']);
    drivers.forEach((d, i) => {
      const ts = result.eventTimestamps[i];
      if (ts === null) return;
      seen++;
      const h = Number(ts / 1000n - BigInt(BASE_MS)) / HOUR_MS;
      const conv = result.values.conv_rate[i] as number;
      const trips = result.values.avg_daily_trips[i] as number;
      expect(trips, `driver ${d} hour ${h}`).toBe((d + h) % 50);
      // Float32 storage: compare to 6 decimals; the 10:00 correction row of driver 1001 is 0.999.
      const expected = d === 1001 && h === 58 ? 0.999 : ((d * 31 + h * 17) % 100) / 100;
      expect(Math.abs(conv - expected), `driver ${d} hour ${h}`).toBeLessThan(1e-6);
    });
    reads++;
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(await finished).toBe(0);
  expect(reads).toBeGreaterThan(10);
  expect(seen).toBeGreaterThan(0);
  // After the last window (04-12 23:00 = hour 71) every driver holds hour 71.
  const last = await store.read('driver_ranking', 'driver_hourly_stats', keys, ['avg_daily_trips']);
  expect(last.values.avg_daily_trips).toEqual(drivers.map((d) => (d + 71) % 50));
  await store.close();
});
