import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { buildIfStale, CLI, cli } from '../cli/built-cli.js';
import { FIXTURE_PROJECT } from '../server/fixture-definitions.js';
import { expectWriteTokenOnlyRule, fetchSend, WRITE_TOKEN } from './write-token-cases.js';

// The built CLI's `serve` in its own process, with only FEAST_EDGE_WRITE_TOKEN in its environment.
it('with only FEAST_EDGE_WRITE_TOKEN set, `feast-edge serve` leaves reads open and guards writes', async () => {
  buildIfStale();
  const dir = await mkdtemp(join(tmpdir(), 'feast-edge-node-token-'));
  const repo = join(dir, 'repo');
  await mkdir(join(repo, 'data'), { recursive: true });
  await writeFile(join(repo, 'feature_store.yaml'), `project: ${FIXTURE_PROJECT}\nregistry: data/registry.json\nonline_store:\n  type: lmdb\n`);
  const fixture = await readFile(join(import.meta.dirname, '..', 'server', 'fixture-definitions.ts'), 'utf8');
  await writeFile(join(repo, 'definitions.ts'), fixture.replace("from '../../src/index.js'", "from 'feast-edge'"));
  const applied = await cli(['--repo', repo, 'apply']);
  expect(applied.code, applied.stderr).toBe(0);
  const env = { ...process.env, FEAST_EDGE_WRITE_TOKEN: WRITE_TOKEN, FEAST_EDGE_READ_TOKEN: '' };
  const child = spawn(process.execPath, [CLI, '--repo', repo, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const look = (data: Buffer) => {
        output += data.toString();
        const found = output.match(/ at (http:\/\/\S+) /);
        if (found) resolve(found[1]);
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${output}`)));
    });
    await expectWriteTokenOnlyRule(fetchSend(url));
  } finally {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  }
});
