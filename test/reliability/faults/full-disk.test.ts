/**
 * Issue 14, finding 2: a full disk took `feast-edge serve` down. The repo (LMDB online
 * store, JSON file registry) lives on a 4 MB tmpfs filled to the last byte; a write that
 * needs room must answer a JSON 503 naming the store fault, the server must keep
 * answering, the stored data must stay as it was, and once space is freed the same
 * write must succeed without a restart. The same for the registry: an apply or a
 * materialization recording its interval, with the registry file unwritable.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../cli/built-cli.js';
import { fillDisk, initRepo, mountTmpfs, post, readDrivers, serve, type Served } from './fault-support.js';

/** 3,000 new drivers (ids from 500,000): pages LMDB must add to its file. */
const IDS = Array.from({ length: 3_000 }, (_, i) => 500_000 + i);
const BIG_WRITE = {
  feature_view_name: 'driver_hourly_stats',
  df: {
    driver_id: IDS,
    event_timestamp: IDS.map(() => '2021-04-12T10:00:00Z'),
    conv_rate: IDS.map(() => 0.5),
    acc_rate: IDS.map(() => 0.25),
    avg_daily_trips: IDS.map((id) => id % 100),
  },
};
/** A window with no rows: materializing it only records the interval in the registry. */
const EMPTY_WINDOW = { start_ts: '2000-01-01T00:00:00', end_ts: '2000-01-02T00:00:00', feature_views: ['driver_hourly_stats'] };
const OLD_DRIVERS = [1001, 1002, 1003, 1004, 1005];

let mounted: Awaited<ReturnType<typeof mountTmpfs>>;
let repo: string;
let fill: string;
let server: Served | undefined;

beforeAll(async () => {
  mounted = await mountTmpfs(4 * 1024 * 1024);
  if ('skip' in mounted) return;
  repo = join(mounted.dir, 'repo');
  fill = join(mounted.dir, 'fill');
  await initRepo(repo);
  const materialized = await cli(['--repo', repo, 'materialize', '2000-01-01T00:00:00', new Date().toISOString().slice(0, 19)]);
  expect(materialized.code, materialized.stderr).toBe(0);
  server = await serve(repo);
});
afterAll(async () => {
  await server?.stop();
  if (mounted && !('skip' in mounted)) await mounted.unmount();
});

/** The folder's files, without the disk filler. */
const filesOf = async (dir: string) => (await readdir(dir)).filter((name) => name !== 'fill').sort();

describe('a full disk is a store fault the server survives (issue 14, finding 2)', () => {
  it('answers a write to the online store that hits ENOSPC with a JSON 503, keeps the data and takes the write once space is freed', async (context) => {
    if ('skip' in mounted) return context.skip(mounted.skip);
    const url = server!.url;
    const before = await readDrivers(url, OLD_DRIVERS);
    // Materialized rows to keep (the example's drivers 1001-1005 have an hourly row up to now).
    expect((before as { results: { values: unknown[] }[] }).results[1].values.every((v) => typeof v === 'number')).toBe(true);
    await fillDisk(fill);

    const refused = await post(`${url}/write-to-online-store`, BIG_WRITE);
    expect(refused.status, JSON.stringify(refused.json)).toBe(503);
    expect(refused.contentType).toMatch(/^application\/json/);
    expect(refused.type).toBe('OnlineStoreFaultError');
    expect(String(refused.json)).toMatch(/online store.*no space left on device \(ENOSPC\)/i);
    expect(String(refused.json)).toMatch(/nothing was written/);

    // The server still answers, with the data it had and none of the refused batch.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server!.alive(), server!.output()).toBe(true);
    expect(await readDrivers(url, OLD_DRIVERS)).toEqual(before);
    const fresh = (await readDrivers(url, [IDS[0], IDS[2_999]])) as { results: { values: unknown[] }[] };
    expect(fresh.results.slice(1).map((r) => r.values)).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
    expect((await fetch(`${url}/health`)).status).toBe(200);

    await rm(fill);
    const accepted = await post(`${url}/write-to-online-store`, BIG_WRITE);
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    const written = (await readDrivers(url, [IDS[0], IDS[2_999]])) as { results: { values: unknown[] }[] };
    expect(written.results.slice(1).map((r) => r.values)).toEqual([
      [0.5, 0.5],
      [0.25, 0.25],
      [0, 99],
    ]);
    expect(await readDrivers(url, OLD_DRIVERS)).toEqual(before);
    expect(server!.alive()).toBe(true);
  });

  it('answers a materialization whose registry write hits ENOSPC with a JSON 503, the registry file unchanged, then records it once space is freed', async (context) => {
    if ('skip' in mounted) return context.skip(mounted.skip);
    const url = server!.url;
    const registry = join(repo, 'data', 'registry.json');
    const before = await readFile(registry, 'utf8');
    const files = await filesOf(join(repo, 'data'));
    await fillDisk(fill);

    const refused = await post(`${url}/materialize`, EMPTY_WINDOW);
    expect(refused.status, JSON.stringify(refused.json)).toBe(503);
    expect(refused.contentType).toMatch(/^application\/json/);
    expect(refused.type).toBe('RegistryStoreError');
    expect(String(refused.json)).toMatch(/registry.*no space left on device \(ENOSPC\)/i);
    // Nothing half-written: the same bytes, no temporary file, no lock left to stall the next writer.
    expect(await readFile(registry, 'utf8')).toBe(before);
    expect(await filesOf(join(repo, 'data'))).toEqual(files);
    expect(server!.alive(), server!.output()).toBe(true);
    expect((await fetch(`${url}/health`)).status).toBe(200);

    await rm(fill);
    const started = Date.now();
    const accepted = await post(`${url}/materialize`, EMPTY_WINDOW);
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    // Not behind a lock left by the failed write (those are only broken after 30 s).
    expect(Date.now() - started).toBeLessThan(10_000);
    const intervals = JSON.stringify(JSON.parse(await readFile(registry, 'utf8')).featureViews.driver_hourly_stats);
    expect(intervals).toContain('2000-01-02T00:00:00');
  });

  it('answers a push to the offline store that hits ENOSPC with a JSON 503 naming it, with no half part left, and takes it once space is freed', async (context) => {
    if ('skip' in mounted) return context.skip(mounted.skip);
    const url = server!.url;
    const pushed = join(repo, 'data', 'driver_stats.parquet.pushed');
    const at = '2021-04-12T10:00:00Z';
    const body = {
      push_source_name: 'driver_stats_push_source',
      to: 'offline',
      df: { driver_id: [1001], event_timestamp: [at], created: [at], conv_rate: [0.5], acc_rate: [0.5], avg_daily_trips: [4] },
    };
    const partsBefore = await readdir(pushed).catch(() => [] as string[]);
    await fillDisk(fill);

    const refused = await post(`${url}/push`, body);
    expect(refused.status, JSON.stringify(refused.json)).toBe(503);
    expect(refused.contentType).toMatch(/^application\/json/);
    expect(String(refused.json)).toMatch(/no space left on device \(ENOSPC\)/);
    expect(await readdir(pushed).catch(() => [] as string[])).toEqual(partsBefore);
    expect(server!.alive(), server!.output()).toBe(true);

    await rm(fill);
    const accepted = await post(`${url}/push`, body);
    expect(accepted.status, JSON.stringify(accepted.json)).toBe(200);
    expect((await readdir(pushed)).filter((name) => name.endsWith('.parquet'))).toHaveLength(partsBefore.length + 1);
  });

  it('fails `feast-edge apply` on a full disk with one clear error line, the registry file unchanged, and applies once space is freed', async (context) => {
    if ('skip' in mounted) return context.skip(mounted.skip);
    const registry = join(repo, 'data', 'registry.json');
    const definitions = join(repo, 'definitions.ts');
    await writeFile(definitions, (await readFile(definitions, 'utf8')).replace("description: 'A driver'", "description: 'A driver, renamed'"));
    const before = await readFile(registry, 'utf8');
    const files = await filesOf(join(repo, 'data'));
    await fillDisk(fill);

    const refused = await cli(['--repo', repo, 'apply']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/^error: .*registry.*no space left on device \(ENOSPC\)/i);
    expect(await readFile(registry, 'utf8')).toBe(before);
    expect(await filesOf(join(repo, 'data'))).toEqual(files);

    await rm(fill);
    const applied = await cli(['--repo', repo, 'apply']);
    expect(applied.code, applied.stderr).toBe(0);
    expect(await readFile(registry, 'utf8')).toContain('A driver, renamed');
  });
});
