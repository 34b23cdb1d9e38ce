import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../src/runtime/node/engine.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const run = promisify(execFile);

/** Runs the built CLI; resolves with exit code and output instead of throwing. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const COMMANDS = ['init', 'plan', 'apply', 'teardown', 'registry-dump', 'list', 'get-historical-features', 'version'];

describe('the feast-edge CLI (built)', () => {
  let dir: string;
  let repo: string;
  beforeAll(async () => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT });
    dir = await mkdtemp(join(tmpdir(), 'feast-edge-cli-'));
    repo = join(dir, 'repo');
    const init = await cli('init', repo);
    expect(init.code, init.stderr).toBe(0);
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  it('prints help for every command', async () => {
    for (const command of COMMANDS) {
      const help = await cli(command, '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`feast-edge ${command}`);
    }
    expect((await cli('--help')).stdout).toContain('get-historical-features');
  });

  it('applies the example repo, lists it, and plans no change afterwards', async () => {
    const apply = await cli('--repo', repo, 'apply');
    expect(apply.stdout).toContain('Created featureView driver_hourly_stats');
    const list = await cli('--repo', repo, 'list', 'feature-views');
    expect(list.stdout).toMatch(/driver_hourly_stats\s+driver\s+3\s+86400/);
    expect(list.stdout).toMatch(/customer_profile\s+customer\s+3\s+172800/);
    expect((await cli('--repo', repo, 'plan')).stdout.trim()).toBe('No changes to the registry.');
    const dump = JSON.parse((await cli('--repo', repo, 'registry-dump')).stdout);
    expect(dump.project.name).toBe('driver_ranking');
    expect(Object.keys(dump.featureServices)).toEqual(['driver_activity']);
  });

  it('writes a training set whose values follow the sample data formulas (README of the repo)', async () => {
    await cli('--repo', repo, 'apply');
    const entityDf = join(dir, 'entities.csv');
    // Driver 1002 at 2021-04-12T08:30Z -> hour h = 56 (08:00); driver 1001 at 10:30 -> the correction row (0.999);
    // driver 1005 at 2021-04-14T00:00Z -> latest h = 71 (04-12 23:00) is 25h old: outside the 1d ttl -> empty.
    await writeFile(entityDf, 'driver_id,event_timestamp\n1002,2021-04-12T08:30:00Z\n1001,2021-04-12T10:30:00Z\n1005,2021-04-14T00:00:00Z\n');
    const out = join(dir, 'train.csv');
    const result = await cli('--repo', repo, 'get-historical-features', '--entity-df', entityDf, '--features', 'driver_hourly_stats:conv_rate,driver_hourly_stats:avg_daily_trips', '--output', out);
    expect(result.stdout).toContain('Wrote 3 rows');
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('driver_id,event_timestamp,conv_rate,avg_daily_trips');
    const conv = (d: number, h: number) => ((d * 31 + h * 17) % 100) / 100;
    const [, r1, r2, r3] = lines.map((l) => l.split(','));
    expect(Number(r1[2])).toBeCloseTo(conv(1002, 56), 6);
    expect(Number(r1[3])).toBe((1002 + 56) % 50);
    expect(Number(r2[2])).toBeCloseTo(0.999, 6);
    expect(r3.slice(2)).toEqual(['', '']);
    // The same request as Parquet reads back with the same values.
    const parquetOut = join(dir, 'train.parquet');
    await cli('--repo', repo, 'get-historical-features', '--entity-df', entityDf, '--features', 'driver_hourly_stats:avg_daily_trips', '--output', parquetOut);
    const engine = await createNodeEngine();
    await engine.registerFile('t', parquetOut, 'parquet');
    const table = await engine.query('SELECT avg_daily_trips FROM t');
    expect([0, 1, 2].map((i) => table.getChild('avg_daily_trips')!.get(i))).toEqual([BigInt((1002 + 56) % 50), BigInt((1001 + 58) % 50), null]);
    await engine.close();
  });

  it('answers bad input with a non-zero exit and one error line', async () => {
    const cases: [string[], RegExp][] = [
      [['--repo', repo, 'get-historical-features', '--entity-df', join(repo, 'data', 'entity_df.csv'), '--features', 'nope:x', '--output', join(dir, 'x.csv')], /FeatureViewNotFound|feature view 'nope' is not in project/],
      [['--repo', repo, 'get-historical-features', '--entity-df', join(repo, 'data', 'entity_df.csv'), '--features', 'driver_hourly_stats:conv_rate'], /required option '--output/],
      [['--repo', repo, 'list', 'bogus'], /unknown kind 'bogus'/],
      [['bogus-command'], /unknown command 'bogus-command'/],
      [['--repo', join(dir, 'nowhere'), 'apply'], /no feature_store.yaml/],
    ];
    for (const [args, message] of cases) {
      const result = await cli(...args);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
    const broken = join(dir, 'broken');
    await cli('init', broken);
    await writeFile(join(broken, 'feature_store.yaml'), 'project: [unclosed\n');
    const yaml = await cli('--repo', broken, 'apply');
    expect(yaml.code).not.toBe(0);
    expect(yaml.stderr).toMatch(/^error: feature_store.yaml is not valid YAML/);
    await writeFile(join(broken, 'feature_store.yaml'), 'project: x\nonline_stor: {}\n');
    expect((await cli('--repo', broken, 'apply')).stderr).toMatch(/unknown key 'online_stor'; known keys: project/);
  });

  it('saves a dataset, lists it, and tears the registry down', async () => {
    await cli('--repo', repo, 'apply');
    await cli('--repo', repo, 'get-historical-features', '--entity-df', join(repo, 'data', 'entity_df.csv'), '--feature-service', 'driver_activity', '--output', join(dir, 's.csv'), '--save-as', 'training_v1');
    expect((await cli('--repo', repo, 'list', 'saved-datasets')).stdout).toMatch(/training_v1\s+6\s+/);
    expect((await cli('--repo', repo, 'teardown')).code).toBe(0);
    const after = await cli('--repo', repo, 'list', 'entities');
    expect(after.code).not.toBe(0);
    expect(after.stderr).toMatch(/has no registry yet; run apply first/);
  });
});
