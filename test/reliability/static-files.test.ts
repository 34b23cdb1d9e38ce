import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticFiles } from '../../src/runtime/node/static-files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-static-'));
  await mkdir(join(dir, 'ui', 'assets'), { recursive: true });
  await writeFile(join(dir, 'ui', 'index.html'), '<h1>app</h1>');
  await writeFile(join(dir, 'ui', 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dir, 'secret.txt'), 'outside the ui folder');
  await symlink(join(dir, 'secret.txt'), join(dir, 'ui', 'leak.txt'));
  await symlink(dir, join(dir, 'ui', 'parent'));
  await symlink(join(dir, 'ui', 'assets', 'app.js'), join(dir, 'ui', 'alias.js'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const get = (path: string) => staticFiles(join(dir, 'ui'))(new Request(`http://localhost${path}`));

describe('feast-edge serve --ui DIR (issue 14, finding 11: symlinks were followed out of DIR)', () => {
  it('serves the folder and a link that stays inside it', async () => {
    expect(await (await get('/'))!.text()).toBe('<h1>app</h1>');
    expect(await (await get('/alias.js'))!.text()).toBe('console.log(1)');
  });

  it('does not follow a symbolic link out of the folder', async () => {
    expect(await get('/leak.txt')).toBeUndefined();
    expect(await get('/parent/secret.txt')).toBeUndefined();
    expect(await get('/../secret.txt')).toBeUndefined();
  });
});
