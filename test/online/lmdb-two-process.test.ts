import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Int64 } from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb/lmdb-online-store.js';
import { CLI, exampleRepo } from '../cli/built-cli.js';
import { sampleDataOf, type SampleData } from '../cli/expected-sample.js';

let repo: string;
let remove: () => Promise<void>;
let sample: SampleData;
beforeAll(async () => {
  ({ repo, remove } = await exampleRepo('feast-edge-two-process-', { apply: true }));
  sample = await sampleDataOf(repo);
});
afterAll(() => remove());

const HOUR_MS = 3_600_000;

it('a reader never sees a torn record while another process materializes into LMDB', async () => {
  // The writer: the CLI materializing hour by hour (every third hour of the last three
  // days of the sample data, which is relative to init's time), so every driver's row is replaced again and again.
  const base = sample.driverTime(0);
  const hours = Array.from({ length: 24 }, (_, i) => 359 - (23 - i) * 3);
  const start = new Date(base - 24 * HOUR_MS).toISOString();
  const script = hours
    .map(
      (h) =>
        `await run(['--repo', ${JSON.stringify(repo)}, 'materialize', ${JSON.stringify(start)}, new Date(${base} + ${h} * ${HOUR_MS}).toISOString(), '--views', 'driver_hourly_stats']);`,
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
      const h = Number(ts / 1000n - BigInt(base)) / HOUR_MS;
      const conv = result.values.conv_rate[i] as number;
      const trips = result.values.avg_daily_trips[i] as number;
      expect(trips, `driver ${d} hour ${h}`).toBe((d + h) % 50);
      // Float32 storage: compare to 6 decimals; the hour-356 correction row of driver 1001 is 0.999.
      const expected = d === 1001 && h === 356 ? 0.999 : ((d * 31 + h * 17) % 100) / 100;
      expect(Math.abs(conv - expected), `driver ${d} hour ${h}`).toBeLessThan(1e-6);
    });
    reads++;
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(await finished).toBe(0);
  expect(reads).toBeGreaterThan(10);
  expect(seen).toBeGreaterThan(0);
  // After the last window (the newest row, hour 359) every driver holds hour 359.
  const last = await store.read('driver_ranking', 'driver_hourly_stats', keys, ['avg_daily_trips']);
  expect(last.values.avg_daily_trips).toEqual(drivers.map((d) => (d + 359) % 50));
  await store.close();
});
