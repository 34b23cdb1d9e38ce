import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { entity, featureView, field, Float32, Int64, project } from '../../src/definitions/index.js';
import type { RegistryDocument } from '../../src/registry/document.js';
import { sha256Hex } from '../../src/registry/hash.js';
import { planDiff } from '../../src/registry/diff.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { Registry } from '../../src/registry/registry.js';
import { driver, extra, live, livePush, plusX, service, stats, statsSource } from './fixtures/definitions.js';

const fresh = () => new Registry(new MemoryRegistryStore(), 'proj');
const refs = (list: { kind: string; name: string }[]) => list.map((o) => `${o.kind}:${o.name}`);
const tick = () => new Promise((r) => setTimeout(r, 5));
const statsTtl = (ttl: string, tags?: Record<string, string>) =>
  featureView({
    name: 'stats',
    entities: [driver],
    source: statsSource,
    ttl,
    schema: [field('conv_rate', Float32), field('trips', Int64)],
    ...(tags ? { tags } : {}),
  });

describe('apply', () => {
  it("registers a view's batch and push sources, and an on-demand view's request source, as data sources", async () => {
    const registry = fresh();
    const diff = await registry.apply([driver, stats, live, plusX]);
    expect(refs(diff.added)).toEqual([
      'entity:driver',
      'fileSource:stats_src',
      'featureView:stats',
      'fileSource:live_batch',
      'pushSource:live_push',
      'featureView:live',
      'requestSource:extra',
      'onDemandFeatureView:plus_x',
    ]);
    expect((await registry.listDataSources()).map((s) => s.name).sort()).toEqual(['extra', 'live_batch', 'live_push', 'stats_src']);
    expect(await registry.getDataSource('live_push')).toEqual(JSON.parse(JSON.stringify(livePush)));
    expect(await registry.version()).toBe(1);
  });

  it('is partial like Feast: omitted objects stay, and only the objects named in delete go', async () => {
    const registry = fresh();
    await registry.apply([driver, stats, plusX, service]);
    const partial = await registry.apply([driver]);
    expect(refs(partial.unchanged)).toEqual(['entity:driver']);
    expect((await registry.listFeatureViews()).map((v) => v.name)).toEqual(['stats']);
    const diff = await registry.apply([], { delete: [service, { kind: 'onDemandFeatureView', name: 'plus_x' }] });
    expect(refs(diff.removed)).toEqual(['featureService:svc', 'onDemandFeatureView:plus_x']);
    expect((await registry.listFeatureViews()).map((v) => v.name)).toEqual(['stats']);
    expect(await registry.listFeatureServices()).toEqual([]);
    expect(await registry.version()).toBe(2);
  });

  it('refuses to delete what is still used, naming the users, unless they go in the same apply', async () => {
    const registry = fresh();
    await registry.apply([driver, stats, plusX]);
    await expect(registry.apply([], { delete: [driver] })).rejects.toThrow("entity 'driver' cannot be deleted: featureView 'stats' uses it");
    await expect(registry.apply([], { delete: [stats] })).rejects.toThrow("featureView 'stats' cannot be deleted: onDemandFeatureView 'plus_x' uses it");
    await expect(registry.apply([], { delete: [extra] })).rejects.toThrow("requestSource 'extra' cannot be deleted: onDemandFeatureView 'plus_x' uses it");
    const diff = await registry.apply([], { delete: [driver, stats, plusX] });
    expect(refs(diff.removed)).toEqual(['entity:driver', 'featureView:stats', 'onDemandFeatureView:plus_x']);
  });

  it('refuses to delete an object that does not exist, naming what does', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    await expect(registry.apply([], { delete: [{ kind: 'featureView', name: 'statz' }] })).rejects.toMatchObject({
      name: 'FeatureViewNotFoundException',
      message: "feature view 'statz' is not in project 'proj'; valid: 'stats'",
    });
    await expect(registry.apply([], { delete: [{ kind: 'table', name: 'x' }] })).rejects.toThrow(/kind one of entity, fileSource/);
    await expect(registry.apply([driver], { delete: [driver] })).rejects.toThrow("apply: 'driver' is both applied (entity 'driver') and deleted");
  });

  it('keeps createdAt and lastUpdatedAt of an identical object, and writes nothing when nothing changed', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    const before = await registry.document();
    await tick();
    const diff = await registry.apply([driver, stats]);
    expect(diff).toEqual({
      added: [],
      changed: [],
      removed: [],
      unchanged: [
        { kind: 'entity', name: 'driver' },
        { kind: 'fileSource', name: 'stats_src' },
        { kind: 'featureView', name: 'stats' },
      ],
    });
    const after = await registry.document();
    expect(after.version).toBe(1);
    expect(after.lastUpdatedAt).toBe(before.lastUpdatedAt);
    expect(after.featureViews.stats.lastUpdatedAt).toBe(before.featureViews.stats.lastUpdatedAt);
  });

  it('updates a changed object in place: same createdAt, later lastUpdatedAt, the changed fields listed', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    const before = await registry.document();
    await tick();
    const diff = await registry.apply([driver, statsTtl('2d', { team: 'ml' })]);
    expect(diff.changed).toEqual([{ kind: 'featureView', name: 'stats', fields: ['tags', 'ttlSeconds'] }]);
    const after = await registry.document();
    expect(after.version).toBe(2);
    expect(after.featureViews.stats.spec.ttlSeconds).toBe(2 * 86400);
    expect(after.featureViews.stats.createdAt).toBe(before.featureViews.stats.createdAt);
    expect(after.featureViews.stats.lastUpdatedAt > before.featureViews.stats.lastUpdatedAt).toBe(true);
    expect(after.entities.driver).toEqual(before.entities.driver);
  });

  it('sets project metadata from a project object of the same name only', async () => {
    const registry = fresh();
    expect(refs((await registry.apply([project({ name: 'proj', description: 'hello' })])).added)).toEqual(['project:proj']);
    expect((await registry.document()).project).toEqual({ kind: 'project', name: 'proj', description: 'hello' });
    const diff = await registry.apply([project({ name: 'proj', description: 'bye', owner: 'me' })]);
    expect(diff.changed).toEqual([{ kind: 'project', name: 'proj', fields: ['description', 'owner'] }]);
    await registry.apply([driver]);
    expect((await registry.document()).project.owner).toBe('me');
    await expect(registry.apply([project({ name: 'other' })])).rejects.toThrow("apply: project 'other' does not match the registry's project 'proj'");
  });

  it('refuses a registry project name that could not be a key or a file name', async () => {
    expect(() => new Registry(new MemoryRegistryStore(), '../x')).toThrow(/Registry project/);
  });
});

describe('plan', () => {
  it('reports what apply would change, with the changed top-level fields, and writes nothing', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    const moved = featureView({
      name: 'stats',
      entities: [driver],
      source: { ...statsSource, path: 'data/moved.parquet' },
      ttl: '1d',
      schema: [field('conv_rate', Float32), field('trips', Int64)],
    });
    const diff = await registry.plan([moved, live], { delete: [driver] }).catch((e: Error) => e);
    expect(diff).toMatchObject({ message: expect.stringContaining("entity 'driver' cannot be deleted") });
    const plan = await registry.plan([moved, live]);
    expect(plan).toEqual({
      added: [
        { kind: 'fileSource', name: 'live_batch' },
        { kind: 'pushSource', name: 'live_push' },
        { kind: 'featureView', name: 'live' },
      ],
      changed: [
        { kind: 'fileSource', name: 'stats_src', fields: ['path'] },
        { kind: 'featureView', name: 'stats', fields: ['batchSource'] },
      ],
      removed: [],
      unchanged: [],
    });
    expect(await registry.version()).toBe(1);
    expect((await registry.getDataSource('stats_src')) as { path: string }).toMatchObject({ path: 'data/stats.parquet' });
  });

  it('plans a first apply into an absent registry without creating it', async () => {
    const registry = fresh();
    expect(refs((await registry.plan([driver])).added)).toEqual(['entity:driver']);
    expect(await registry.version()).toBe(0);
    await expect(registry.plan([stats])).rejects.toThrow(/entity 'driver' is not applied/);
  });

  it('planDiff needs no store: a pure diff of a document and objects', async () => {
    expect(await planDiff(undefined, [driver])).toEqual({ added: [{ kind: 'entity', name: 'driver' }], changed: [], removed: [], unchanged: [] });
    const registry = fresh();
    await registry.apply([driver, stats]);
    const doc = await registry.document();
    expect((await planDiff(doc, [statsTtl('3h')])).changed).toEqual([{ kind: 'featureView', name: 'stats', fields: ['ttlSeconds'] }]);
    expect((await planDiff(doc, [], [stats])).removed).toEqual([{ kind: 'featureView', name: 'stats' }]);
    expect((await registry.listFeatureViews()).map((v) => v.name)).toEqual(['stats']);
  });
});

describe('on-demand views in the registry', () => {
  it('stores them without functions, with the transform text and its SHA-256', async () => {
    const registry = fresh();
    await registry.apply([driver, stats, plusX]);
    const stored = await registry.getOnDemandFeatureView('plus_x');
    expect(
      Object.keys(stored)
        .filter((k) => k.startsWith('transform'))
        .sort(),
    ).toEqual(['transformHash', 'transformSource']);
    expect(stored.transformSource).toBe(plusX.transformSource);
    // Node's own hash, independent of the Web Crypto path the registry uses.
    expect(stored.transformHash).toBe(createHash('sha256').update(plusX.transformSource, 'utf8').digest('hex'));
    const doc = JSON.parse(JSON.stringify(await registry.document())) as RegistryDocument;
    expect(doc.onDemandFeatureViews.plus_x.spec.transformHash).toBe(stored.transformHash);
  });

  it('hashes with SHA-256 (the FIPS 180-2 example)', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('reads', () => {
  it('names what exists when an object is missing', async () => {
    const registry = fresh();
    await registry.apply([driver, stats, plusX, service]);
    await expect(registry.getFeatureView('nope')).rejects.toMatchObject({
      name: 'FeatureViewNotFoundException',
      message: "feature view 'nope' is not in project 'proj'; valid: 'stats'",
    });
    await expect(registry.getEntity('nope')).rejects.toMatchObject({
      name: 'EntityNotFoundException',
      message: "entity 'nope' is not in project 'proj'; valid: 'driver'",
    });
    await expect(registry.getDataSource('nope')).rejects.toMatchObject({
      name: 'DataSourceObjectNotFoundException',
      message: expect.stringContaining("valid: 'stats_src', 'extra'"),
    });
    await expect(registry.getOnDemandFeatureView('stats')).rejects.toMatchObject({
      name: 'OnDemandFeatureViewNotFoundException',
      message: expect.stringContaining("valid: 'plus_x'"),
    });
    await expect(registry.getFeatureService('nope')).rejects.toMatchObject({
      name: 'FeatureServiceNotFoundException',
      message: expect.stringContaining("valid: 'svc'"),
    });
    await expect(registry.getSavedDataset('nope')).rejects.toMatchObject({
      name: 'SavedDatasetNotFound',
      message: "saved dataset 'nope' is not in project 'proj'; none exist",
    });
    await expect(registry.getFeatureView('toString')).rejects.toMatchObject({ name: 'FeatureViewNotFoundException' });
  });

  it("stores objects named like Object.prototype members ('constructor', '__proto__') as ordinary names", async () => {
    const registry = fresh();
    const odd = [entity({ name: 'constructor', joinKeys: ['c'] }), entity({ name: '__proto__', joinKeys: ['p'] })];
    expect((await registry.apply(odd)).added).toEqual([
      { kind: 'entity', name: 'constructor' },
      { kind: 'entity', name: '__proto__' },
    ]);
    expect((await registry.getEntity('__proto__')).joinKeys).toEqual(['p']);
    expect((await registry.listEntities()).map((e) => e.name).sort()).toEqual(['__proto__', 'constructor']);
    expect((await registry.apply(odd)).unchanged).toHaveLength(2);
    await registry.apply([], { delete: odd });
    expect(await registry.listEntities()).toEqual([]);
  });

  it('throws ProjectNotFoundException for a project never applied, listing the projects that exist', async () => {
    const store = new MemoryRegistryStore();
    await new Registry(store, 'alpha').apply([driver]);
    await expect(new Registry(store, 'beta').document()).rejects.toMatchObject({
      name: 'ProjectNotFoundException',
      message: "project 'beta' has no registry yet; run apply first (valid: 'alpha')",
    });
    await expect(new Registry(store, 'beta').listEntities()).rejects.toMatchObject({ name: 'ProjectNotFoundException' });
    expect(await new Registry(store, 'beta').version()).toBe(0);
  });

  it('serves a cached document within maxAgeMs and re-reads with 0; documents are frozen', async () => {
    const store = new MemoryRegistryStore();
    const reader = new Registry(store, 'proj');
    const writer = new Registry(store, 'proj');
    await writer.apply([driver]);
    const first = await reader.document({ maxAgeMs: 60_000 });
    expect(Object.isFrozen(first.entities.driver.spec)).toBe(true);
    await writer.apply([stats]);
    expect(await reader.document({ maxAgeMs: 60_000 })).toBe(first);
    expect(await reader.listFeatureViews({ maxAgeMs: 60_000 })).toEqual([]);
    expect((await reader.document({ maxAgeMs: 0 })).version).toBe(2);
    expect((await reader.listFeatureViews()).map((v) => v.name)).toEqual(['stats']);
  });

  it('sees its own writes through the cache', async () => {
    const registry = fresh();
    await registry.apply([driver]);
    await registry.document({ maxAgeMs: 60_000 });
    await registry.apply([stats]);
    expect((await registry.document({ maxAgeMs: 60_000 })).version).toBe(2);
  });
});

describe('saved datasets, materialization intervals, teardown', () => {
  const dataset = {
    kind: 'savedDataset' as const,
    name: 'ds',
    features: ['stats:trips'],
    joinKeys: ['driver_id'],
    fullFeatureNames: false,
    storage: { format: 'parquet' as const, path: 'datasets/ds.parquet' },
    rowCount: 3,
  };

  it('saves a dataset once, overwrites it only when allowed, and deletes it', async () => {
    const registry = fresh();
    await expect(registry.saveDataset(dataset)).rejects.toMatchObject({ name: 'ProjectNotFoundException' });
    await registry.apply([driver, stats]);
    await registry.saveDataset(dataset);
    const createdAt = (await registry.document()).savedDatasets.ds.createdAt;
    await expect(registry.saveDataset({ ...dataset, rowCount: 4 })).rejects.toMatchObject({ name: 'SavedDatasetExistsError' });
    expect((await registry.getSavedDataset('ds')).rowCount).toBe(3);
    await tick();
    await registry.saveDataset({ ...dataset, rowCount: 4 }, { allowOverwrite: true });
    expect((await registry.getSavedDataset('ds')).rowCount).toBe(4);
    expect((await registry.document()).savedDatasets.ds.createdAt).toBe(createdAt);
    await registry.apply([statsTtl('2d')]);
    expect((await registry.listSavedDatasets()).map((d) => d.name)).toEqual(['ds']);
    await registry.deleteSavedDataset('ds');
    await expect(registry.deleteSavedDataset('ds')).rejects.toMatchObject({ name: 'SavedDatasetNotFound' });
    expect(await registry.listSavedDatasets()).toEqual([]);
  });

  it('appends materialization intervals; a descriptive edit keeps them, a redefinition clears them', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    const day1 = { start: '2021-01-01T00:00:00Z', end: '2021-01-02T00:00:00Z' };
    const day2 = { start: '2021-01-02T00:00:00Z', end: '2021-01-03T00:00:00Z' };
    await registry.addMaterializationInterval('stats', day1);
    await registry.addMaterializationInterval('stats', day2);
    expect((await registry.document()).featureViews.stats.materializationIntervals).toEqual([day1, day2]);
    await registry.apply([statsTtl('1d', { team: 'ml' })]);
    expect((await registry.document()).featureViews.stats.materializationIntervals).toEqual([day1, day2]);
    await registry.apply([statsTtl('2d', { team: 'ml' })]);
    expect((await registry.document()).featureViews.stats.materializationIntervals).toEqual([]);
    await expect(registry.addMaterializationInterval('nope', day1)).rejects.toMatchObject({
      name: 'FeatureViewNotFoundException',
      message: expect.stringContaining("valid: 'stats'"),
    });
    await expect(registry.addMaterializationInterval('stats', { start: day1.end, end: day1.start })).rejects.toThrow(/start <= end/);
  });

  it('tears the project down, and tearing down twice is harmless', async () => {
    const store = new MemoryRegistryStore();
    const registry = new Registry(store, 'proj');
    await registry.apply([driver, stats]);
    await registry.document({ maxAgeMs: 60_000 });
    await registry.teardown();
    await expect(registry.document({ maxAgeMs: 60_000 })).rejects.toMatchObject({ name: 'ProjectNotFoundException' });
    expect(await store.listProjects()).toEqual([]);
    await registry.teardown();
    await registry.apply([driver]);
    expect(await registry.version()).toBe(1);
  });
});
