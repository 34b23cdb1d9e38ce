import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { Registry } from '../../src/registry/registry.js';
import { FileRegistryStore } from '../../src/runtime/node/file-registry-store.js';

const run = promisify(execFile);

it('two processes applying to one file registry at once lose no update', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'feast-edge-concurrency-'));
  try {
    const script = join(import.meta.dirname, 'fixtures', 'apply-many.ts');
    await Promise.all(['left', 'right'].map((prefix) =>
      run(process.execPath, ['--import', 'jiti/register', script, dir, prefix, '20'], { cwd: join(import.meta.dirname, '..', '..') })));
    const names = (await new Registry(new FileRegistryStore(dir), 'shared').listEntities()).map((e) => e.name);
    expect(names.length).toBe(40);
    for (let i = 0; i < 20; i++) expect(names).toEqual(expect.arrayContaining([`left_${i}`, `right_${i}`]));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
