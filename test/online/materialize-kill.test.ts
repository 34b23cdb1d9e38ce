import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Int64 } from '../../src/definitions/index.js';
import { encodeEntityKey } from '../../src/online/entity-key.js';
import { FileRegistryStore } from '../../src/runtime/node/file-registry-store.js';
import { NativeDuckDBEngine } from '../../src/runtime/node/duckdb/duckdb-native-engine.js';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb/lmdb-online-store.js';
import { ROOT, buildIfStale, cli } from '../cli/built-cli.js';

/*
 * Every driver k has two source rows: day 1 with (a, b) = (k, -k) and day 2 with
 * (k + 0.5, -(k + 0.5)). A record is whole when b = -a and a matches its event day.
 */
const DRIVERS = 100_000;
const DAY1 = 1_609_459_200_000_000n; // 2021-01-01T00:00:00Z in microseconds
const DAY2 = DAY1 + 86_400_000_000n;
const DEFINITIONS = `import { entity, featureView, field, fileSource, Float64, Int64 } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
export const snap = featureView({ name: 'snap', entities: [driver], source: fileSource({ name: 'snaps', path: 'data/snaps.parquet' }), schema: [field('a', Float64), field('b', Float64)] });
`;

let dir: string;
let repo: string;
beforeAll(async () => {
  buildIfStale();
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-kill-'));
  repo = join(dir, 'repo');
  await mkdir(join(repo, 'data'), { recursive: true });
  await writeFile(join(repo, 'feature_store.yaml'), 'project: kill\n');
  await writeFile(join(repo, 'definitions.ts'), DEFINITIONS);
  const engine = await NativeDuckDBEngine.open();
  await engine.exec(`COPY (
    SELECT k AS driver_id, make_timestamp(${DAY1}::BIGINT + d * 86400000000) AS event_timestamp, k + d * 0.5 AS a, -(k + d * 0.5) AS b
    FROM range(${DRIVERS}) t(k), range(2) s(d)
  ) TO '${join(repo, 'data', 'snaps.parquet')}' (FORMAT parquet)`);
  await engine.close();
  expect((await cli(['--repo', repo, 'apply'])).code).toBe(0);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Every driver's record, checked whole; returns how many hold day 2. */
async function checkRecords(): Promise<{ day2: number; missing: number }> {
  const store = new LmdbOnlineStore(join(repo, 'data', 'online_store.lmdb'));
  let day2 = 0;
  let missing = 0;
  try {
    for (let start = 0; start < DRIVERS; start += 5000) {
      const ids = Array.from({ length: 5000 }, (_, i) => start + i);
      const keys = ids.map((id) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]));
      const { eventTimestamps, values } = await store.read('kill', 'snap', keys, ['a', 'b']);
      ids.forEach((k, i) => {
        const ts = eventTimestamps[i];
        if (ts === null) {
          missing++;
          return;
        }
        const expectedA = ts === DAY2 ? k + 0.5 : k;
        if (ts !== DAY1 && ts !== DAY2) throw new Error(`driver ${k}: event ${ts} is neither day`);
        if (values.a[i] !== expectedA || values.b[i] !== -expectedA) throw new Error(`driver ${k}: torn record a=${values.a[i]} b=${values.b[i]} at ${ts}`);
        if (ts === DAY2) day2++;
      });
    }
  } finally {
    await store.close();
  }
  return { day2, missing };
}

async function intervals(): Promise<number> {
  const registry = new FileRegistryStore(join(repo, 'data', 'registry.json'));
  const document = await registry.read('kill');
  return document?.featureViews.snap.materializationIntervals.length ?? -1;
}

it('a materialization killed midway leaves whole records, and a re-run ends as one clean run would', async () => {
  // Day 1 everywhere first, so a killed run leaves some keys stale (day 1) and some new.
  expect((await cli(['--repo', repo, 'materialize', '2020-12-31T00:00:00Z', '2021-01-01T12:00:00Z'])).code).toBe(0);
  expect(await checkRecords()).toEqual({ day2: 0, missing: 0 });

  // A process materializing both days, killed (SIGKILL: no cleanup) after its first batch is written.
  const child = spawn(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `
    const { openFeatureStore } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist', 'node.js')).href)});
    const { store } = await openFeatureStore({ repoPath: ${JSON.stringify(repo)} });
    await store.materialize({ start: '2020-12-31T00:00:00Z', end: '2021-01-03T00:00:00Z',
      onProgress: (p) => process.stdout.write(\`progress \${p.rowsDone} \${p.rowsTotal}\\n\`) });
    process.stdout.write('finished\\n');
  `,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    if (/progress \d+ \d+/.test(output)) child.kill('SIGKILL');
  });
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
  expect(signal).toBe('SIGKILL');
  expect(output).not.toContain('finished');

  const killed = await checkRecords();
  expect(killed.missing).toBe(0);
  expect(killed.day2).toBeGreaterThan(0);
  expect(killed.day2).toBeLessThan(DRIVERS);
  expect(await intervals()).toBe(1); // the killed run recorded no interval

  expect((await cli(['--repo', repo, 'materialize', '2020-12-31T00:00:00Z', '2021-01-03T00:00:00Z'])).code).toBe(0);
  expect(await checkRecords()).toEqual({ day2: DRIVERS, missing: 0 });
  expect(await intervals()).toBe(2);
});
