/**
 * Fault suite: `feast-edge apply` SIGKILLed at seeded random points while it changes a
 * registry. After each kill the registry file is the document from before or the one
 * from after (never torn, never a mix); the next writer (another apply) is not stalled
 * by what the killed one left (a lock, a temporary file) and ends with the document a
 * clean apply makes, with no file left behind.
 */
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { comparableRegistry, initRepo, runAndKill, runCli, seededRandom } from './fault-support.js';

const RUNS = 5;
const SEED = 14_10;
/** A lock left by a crashed writer used to stall the next one for 30 s (issue 14, finding 10); well under that. */
const NOT_STALLED_MS = 20_000;
let dir: string;
let template: string;
let before: unknown;
let after: unknown;
let cleanMs: number;

/** The change every apply makes: a new description and a new entity, so the document differs. */
async function changeDefinitions(repo: string): Promise<void> {
  const file = join(repo, 'definitions.ts');
  const source = (await readFile(file, 'utf8')).replace("description: 'A driver'", "description: 'A driver (changed)'");
  await writeFile(file, `${source}\nexport const rider = entity({ name: 'rider', joinKeys: ['rider_id'], valueType: Int64 });\n`);
}
const registryOf = async (repo: string) => readFile(join(repo, 'data', 'registry.json'), 'utf8');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-killed-apply-'));
  template = join(dir, 'template');
  await initRepo(template);
  before = comparableRegistry(await registryOf(template));
  const repo = join(dir, 'clean');
  await cp(template, repo, { recursive: true });
  await changeDefinitions(repo);
  cleanMs = await runCli(['--repo', repo, 'apply']);
  after = comparableRegistry(await registryOf(repo));
  expect(after).not.toEqual(before);
  expect(JSON.stringify(after)).toContain('rider_id');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('apply SIGKILLed at random points (fault suite)', () => {
  it(`leaves the registry from before or after, never torn, and the next writer is not stalled (${RUNS} seeded kills)`, async () => {
    const random = seededRandom(SEED);
    const outcomes: string[] = [];
    for (let run = 0; run < RUNS; run++) {
      const repo = join(dir, `run-${run}`);
      // A run that ends before its kill (the machine is less loaded than when the clean run was timed) is tried again, sooner.
      let delay = Math.round(cleanMs * (0.15 + 0.7 * random()));
      let ended: 'killed' | number = 0;
      for (let attempt = 0; attempt < 5 && ended !== 'killed'; attempt++, delay = Math.round(delay * 0.6)) {
        await rm(repo, { recursive: true, force: true });
        await cp(template, repo, { recursive: true });
        await changeDefinitions(repo);
        ended = await runAndKill(['--repo', repo, 'apply'], delay);
      }
      const left = comparableRegistry(await registryOf(repo));
      const which = JSON.stringify(left) === JSON.stringify(before) ? 'before' : JSON.stringify(left) === JSON.stringify(after) ? 'after' : 'neither';
      outcomes.push(`${delay} ms: ${ended}, ${which}`);
      expect(which, `run ${run}: killed after ${delay} ms`).not.toBe('neither');

      const nextMs = await runCli(['--repo', repo, 'apply']);
      expect(nextMs, `run ${run}: the next apply waited on what the killed one left`).toBeLessThan(NOT_STALLED_MS);
      expect(comparableRegistry(await registryOf(repo)), `run ${run}`).toEqual(after);
      const files = (await readdir(join(repo, 'data'))).filter((name) => name.endsWith('.lock') || name.endsWith('.tmp'));
      expect(files, `run ${run}`).toEqual([]);
    }
    expect(outcomes.filter((o) => o.includes('killed')).length, outcomes.join('; ')).toBe(RUNS);
  });
});
