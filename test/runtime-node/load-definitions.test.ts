import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feastEdgeModules, feastEdgeNodeAlias, loadDefinitions } from '../../src/runtime/node/load-definitions.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A repo in a temp folder (no node_modules of its own) with the given files. */
async function writeRepo(name: string, files: Record<string, string>): Promise<string> {
  const repo = join(dir, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(dirname(join(repo, file)), { recursive: true });
    await writeFile(join(repo, file), text);
  }
  return repo;
}

const DRIVER = `import { entity, Int64 } from 'feast-edge';
export const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
`;
const VIEW = `import { field, fileSource, featureView, Float64 } from 'feast-edge';
import { driver } from './driver.ts';
export const src = fileSource({ name: 'stats_src', path: 'data/stats.parquet' });
export const stats = featureView({ name: 'stats', entities: [driver], ttl: '1h', source: src, schema: [field('conv_rate', Float64)] });
// The imported entity re-exported: the same definition, not a second one.
export { driver };
`;
const THROWS = (where: string) => `throw new Error('${where} must not be loaded');\n`;
const names = (objects: readonly { kind: string; name: string }[]) => objects.map((o) => `${o.kind}:${o.name}`).sort();

describe('loadDefinitions', () => {
  it("gives repo modules this package's own, already-loaded entries for feast-edge and its subpaths", async () => {
    const modules = await feastEdgeModules();
    expect(modules['feast-edge']).toBe(await import('../../src/index.js'));
    expect(modules['feast-edge/offline']).toBe(await import('../../src/offline/index.js'));
    // The Node entry is a path, loaded only when a module asks for it.
    expect(feastEdgeNodeAlias()).toEqual({ 'feast-edge/node': join(import.meta.dirname, '..', '..', 'src', 'runtime', 'node', 'index.ts') });
    // So a repo's objects come from the same library instance as the caller's.
    const repo = await writeRepo('instance', {
      'defs.ts': `import * as feast from 'feast-edge';\nexport const driver = feast.entity({ name: 'driver' });\nexport const sameInt64 = feast.Int64;\n`,
    });
    const [driver] = await loadDefinitions(repo);
    expect(driver).toMatchObject({ kind: 'entity', name: 'driver' });
  });

  it('collects the feast objects of every module, TypeScript and JavaScript, nested or not', async () => {
    const repo = await writeRepo('nested', {
      'driver.ts': DRIVER,
      'views/stats.ts': VIEW.replace('./driver.ts', '../driver.ts'),
      'more/customer.mjs': `import { entity } from 'feast-edge';\nexport const customer = entity({ name: 'customer', joinKeys: ['customer_id'] });\n`,
      'more/request.js': `import { requestSource, field, Int64 } from 'feast-edge';\nexport const req = requestSource({ name: 'req', schema: [field('val', Int64)] });\n`,
      'service.mts':
        `import { featureService, project } from 'feast-edge';\nimport { stats } from './views/stats.ts';\n` +
        `export const svc = featureService({ name: 'svc', features: [stats] });\nexport const proj = project({ name: 'demo' });\n` +
        `export const notADefinition = { kind: 'other', name: 'x' };\nexport default 42;\n`,
    });
    expect(names(await loadDefinitions(repo))).toEqual([
      'entity:customer',
      'entity:driver',
      'featureService:svc',
      'featureView:stats',
      'fileSource:stats_src',
      'project:demo',
      'requestSource:req',
    ]);
  });

  it('skips node_modules, data, dist, dot-folders, tests and declaration files', async () => {
    const repo = await writeRepo('skips', {
      'driver.ts': DRIVER,
      'node_modules/pkg/index.js': THROWS('node_modules'),
      'data/gen.ts': THROWS('data'),
      'dist/out.js': THROWS('dist'),
      '.cache/x.ts': THROWS('dot-folders'),
      'driver.test.ts': THROWS('tests'),
      'driver.spec.mjs': THROWS('specs'),
      'types.d.ts': THROWS('declarations'),
      'notes.md': '# not code',
    });
    expect(names(await loadDefinitions(repo))).toEqual(['entity:driver']);
  });

  it('counts the same definition exported from two modules once', async () => {
    const repo = await writeRepo('same', { 'driver.ts': DRIVER, 'stats.ts': VIEW.replace('./driver.ts', './driver.ts') });
    const objects = await loadDefinitions(repo);
    expect(names(objects)).toEqual(['entity:driver', 'featureView:stats', 'fileSource:stats_src']);
  });

  it('refuses two different objects of one kind and name, naming both files', async () => {
    const repo = await writeRepo('dupes', {
      'a.ts': DRIVER,
      'b/b.ts': DRIVER.replace("joinKeys: ['driver_id']", "joinKeys: ['id']"),
    });
    await expect(loadDefinitions(repo)).rejects.toThrow(/two different entity definitions are named 'driver' \(a.ts and b\/b.ts\)/);
  });

  it('allows one name across different kinds, as Feast does', async () => {
    const repo = await writeRepo('kinds', {
      'defs.ts':
        `import { entity, field, fileSource, featureView, Float64 } from 'feast-edge';\n` +
        `export const e = entity({ name: 'driver', joinKeys: ['driver_id'] });\n` +
        `export const s = fileSource({ name: 'driver', path: 'd.parquet' });\n` +
        `export const v = featureView({ name: 'driver', entities: [e], source: s, schema: [field('x', Float64)] });\n`,
    });
    expect(names(await loadDefinitions(repo))).toEqual(['entity:driver', 'featureView:driver', 'fileSource:driver']);
  });

  it('tells apart two on-demand views that differ only in their code', async () => {
    const odfv = (body: string) =>
      `import { field, onDemandFeatureView, requestSource, Float64 } from 'feast-edge';\n` +
      `const req = requestSource({ name: 'req', schema: [field('v', Float64)] });\n` +
      `export const t = onDemandFeatureView({ name: 't', sources: [req], schema: [field('out', Float64)], transform: (row) => ({ out: ${body} }) });\n`;
    const repo = await writeRepo('odfv', { 'a.ts': odfv('Number(row.v) + 1'), 'b.ts': odfv('Number(row.v) * 2') });
    await expect(loadDefinitions(repo)).rejects.toThrow(/two different onDemandFeatureView definitions are named 't'/);
  });

  it("resolves feast-edge's subpath entries too", async () => {
    const repo = await writeRepo('subpath', {
      'defs.ts': `${DRIVER}import { quoteIdent } from 'feast-edge/offline';\nexport const quoted = quoteIdent('a');\n`,
      'script.ts': `import { parseRepoConfig } from 'feast-edge/node';\nexport const config = parseRepoConfig({ project: 'p' }, '/r');\n`,
    });
    expect(names(await loadDefinitions(repo))).toEqual(['entity:driver']);
  });

  it('reports an error in a module with the module it came from', async () => {
    const bad = await writeRepo('invalid', {
      'driver.ts': DRIVER,
      'views/stats.ts': VIEW.replace('./driver.ts', '../driver.ts').replace("ttl: '1h'", "ttl: 'soon'"),
    });
    await expect(loadDefinitions(bad)).rejects.toThrow(/^views\/stats.ts: featureView 'stats'.ttl: cannot parse duration "soon"/);
    const syntax = await writeRepo('syntax', { 'broken.ts': 'export const = ;\n' });
    await expect(loadDefinitions(syntax)).rejects.toThrow(/^broken.ts: .*Unexpected token.* \(line 1, column \d+\)$/);
    const missing = await writeRepo('missing-import', { 'x.ts': `import { nothing } from './nowhere.ts';\nexport const y = nothing;\n` });
    await expect(loadDefinitions(missing)).rejects.toThrow(/^x.ts: .*nowhere/);
  });

  it('accepts a relative repo path and names a missing repo', async () => {
    const repo = await writeRepo('relative', { 'driver.ts': DRIVER });
    expect(names(await loadDefinitions(relative(process.cwd(), repo)))).toEqual(['entity:driver']);
    await expect(loadDefinitions(join(dir, 'absent'))).rejects.toThrow(/the feature repo .*absent does not exist/);
  });
});
