/**
 * Fault suite: `feast-edge materialize` SIGKILLed at seeded random points of its run
 * (loading, reading sources, writing LMDB, recording intervals). After each kill the
 * registry is whole (it parses as a registry document), and a re-run of the same command
 * leaves the stored state (every LMDB key and value, byte for byte, and the registry's
 * objects and intervals) equal to one clean run's.
 */
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableRegistry, initRepo, lmdbEntries, runAndKill, runCli, seededRandom } from './fault-support.js';

const RUNS = 5;
const SEED = 14_2;
let dir: string;
let template: string;
/** The window every run materializes: fixed, so runs are comparable. */
let end: string;
let clean: { online: [string, string][]; registry: unknown };
let cleanMs: number;

/** The state a run left: LMDB's entries and the registry with its intervals made a set (a re-run records the same window again). */
async function stateOf(repo: string) {
  const text = await readFile(join(repo, 'data', 'registry.json'), 'utf8');
  const registry = comparableRegistry(text) as { featureViews: Record<string, { materializationIntervals?: unknown[] }> };
  for (const view of Object.values(registry.featureViews)) {
    view.materializationIntervals = [...new Set((view.materializationIntervals ?? []).map((i) => JSON.stringify(i)))].sort();
  }
  return { online: await lmdbEntries(join(repo, 'data', 'online_store.lmdb')), registry };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-killed-materialize-'));
  template = join(dir, 'template');
  await initRepo(template);
  end = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19);
  const repo = join(dir, 'clean');
  await cp(template, repo, { recursive: true });
  cleanMs = await runCli(['--repo', repo, 'materialize', '2000-01-01T00:00:00', end]);
  clean = await stateOf(repo);
  expect(clean.online.length).toBeGreaterThan(20);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('materialize SIGKILLed at random points (fault suite)', () => {
  it(`leaves a whole registry, and a re-run equals a clean run (${RUNS} seeded kills)`, async () => {
    const random = seededRandom(SEED);
    const outcomes: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const repo = join(dir, `run-${run}`);
      const args = ['--repo', repo, 'materialize', '2000-01-01T00:00:00', end];
      // Spread over most of a clean run: start-up, reading, writing. Its length varies with
      // the machine's load, so a run that ends before its kill is tried again, sooner, on a fresh copy.
      let delay = Math.round(cleanMs * (0.15 + 0.6 * random()));
      let ended: 'killed' | number = 0;
      for (let attempt = 0; attempt < 5 && ended !== 'killed'; attempt++, delay = Math.round(delay * 0.6)) {
        await rm(repo, { recursive: true, force: true });
        await cp(template, repo, { recursive: true });
        ended = await runAndKill(args, delay);
      }
      outcomes.push(`${delay} ms: ${ended}`);
      // Whole after the kill: valid JSON and a registry document.
      const registry = JSON.parse(await readFile(join(repo, 'data', 'registry.json'), 'utf8'));
      expect(registry.formatVersion, `run ${run}`).toBe(1);

      await runCli(args);
      expect(await stateOf(repo), `run ${run} (killed after ${delay} ms: ${ended})`).toEqual(clean);
    }
    // At least some runs must really have been killed, or the test tested nothing.
    expect(outcomes.filter((o) => o.endsWith('killed')).length, outcomes.join('; ')).toBe(RUNS);
  });
});
