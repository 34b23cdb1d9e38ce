import { describe, expect, it } from 'vitest';
import {
  entity, featureService, featureView, field, fileSource, Float32, Int64, onDemandFeatureView, project, projection, requestSource,
} from '../../src/definitions/index.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { Registry } from '../../src/registry/registry.js';

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const source = fileSource({ name: 'stats_src', path: 'data/stats.parquet' });
const stats = featureView({ name: 'stats', entities: [driver], source, schema: [field('conv_rate', Float32), field('trips', Int64)], ttl: '1d' });
const req = requestSource({ name: 'req', schema: [field('x', Int64)] });
const plusX = onDemandFeatureView({ name: 'plus_x', sources: [stats, req], schema: [field('y', Float32)], transform: (r) => ({ y: Number(r.conv_rate) + Number(r.x) }) });
const service = featureService({ name: 'svc', features: [projection(stats, { features: ['trips'] })] });

const fresh = () => new Registry(new MemoryRegistryStore(), 'proj');
const names = (list: { kind: string; name: string }[]) => list.map((o) => `${o.kind}:${o.name}`).sort();

describe('registry apply, plan and teardown', () => {
  it('applies objects and registers a view\'s source as a data source', async () => {
    const registry = fresh();
    const diff = await registry.apply([driver, stats]);
    expect(names(diff.added)).toEqual(['entity:driver', 'featureView:stats', 'fileSource:stats_src']);
    expect((await registry.listDataSources()).map((s) => s.name)).toEqual(['stats_src']);
    expect(await registry.version()).toBe(1);
  });

  it('is partial like Feast: omitted objects stay, deletes remove only what is named', async () => {
    const registry = fresh();
    await registry.apply([driver, stats, service]);
    await registry.apply([driver]);
    expect((await registry.listFeatureViews()).map((v) => v.name)).toEqual(['stats']);
    const diff = await registry.apply([], { delete: [service] });
    expect(names(diff.removed)).toEqual(['featureService:svc']);
    await expect(registry.getFeatureService('svc')).rejects.toMatchObject({ name: 'FeatureServiceNotFoundException' });
  });

  it('reports changed fields in plan without writing, and keeps createdAt on updates', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    const createdAt = (await registry.document()).featureViews.stats.createdAt;
    const longer = featureView({ name: 'stats', entities: [driver], source, schema: [field('conv_rate', Float32), field('trips', Int64)], ttl: '2d', tags: { team: 'x' } });
    const plan = await registry.plan([longer]);
    expect(plan.changed).toEqual([{ kind: 'featureView', name: 'stats', fields: ['tags', 'ttlSeconds'] }]);
    expect((await registry.getFeatureView('stats')).ttlSeconds).toBe(86400);
    await new Promise((r) => setTimeout(r, 5));
    await registry.apply([longer]);
    const stored = (await registry.document()).featureViews.stats;
    expect(stored.spec.ttlSeconds).toBe(172800);
    expect(stored.createdAt).toBe(createdAt);
    expect(stored.lastUpdatedAt > createdAt).toBe(true);
  });

  it('does not bump the version when an identical apply changes nothing', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    const diff = await registry.apply([driver, stats]);
    expect(diff.added.length + diff.changed.length).toBe(0);
    expect(await registry.version()).toBe(1);
  });

  it('stores on-demand views without their code, with the source text and its SHA-256', async () => {
    const registry = fresh();
    await registry.apply([driver, stats, plusX]);
    const stored = await registry.getOnDemandFeatureView('plus_x');
    expect('transform' in stored).toBe(false);
    expect(stored.transformSource).toContain('conv_rate');
    const expected = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(plusX.transformSource)))]
      .map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(stored.transformHash).toBe(expected);
    expect(JSON.parse(JSON.stringify(await registry.document())).onDemandFeatureViews.plus_x.spec.transformHash).toBe(expected);
  });

  it('refuses references to objects that are not applied, naming them', async () => {
    await expect(fresh().apply([stats])).rejects.toThrow(/entity 'driver' is not applied/);
    await expect(fresh().apply([driver, service])).rejects.toThrow(/view 'stats' is not applied/);
    const bad = { ...service, projections: [{ ...service.projections[0], features: ['nope'] }] };
    await expect(fresh().apply([driver, stats, bad])).rejects.toThrow(/has no feature 'nope'; valid: 'conv_rate', 'trips'/);
  });

  it('refuses two different objects with one name in one apply, and a view name used by two kinds', async () => {
    const other = featureView({ name: 'stats', entities: [driver], source, schema: [field('trips', Int64)] });
    await expect(fresh().apply([driver, stats, other])).rejects.toThrow(/two different featureView definitions are named 'stats'/);
    const clash = onDemandFeatureView({ name: 'stats', sources: [stats], schema: [field('z', Int64)], transform: () => ({ z: 1 }) });
    await expect(fresh().apply([driver, stats, clash])).rejects.toMatchObject({ name: 'ConflictingFeatureViewNames' });
  });

  it('refuses to delete an entity a view still uses', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    await expect(registry.apply([], { delete: [driver] })).rejects.toThrow(/feature views stats use it/);
  });

  it('names what exists when an object is missing', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    await expect(registry.getFeatureView('nope')).rejects.toMatchObject({ name: 'FeatureViewNotFoundException', message: expect.stringContaining("valid: 'stats'") });
    await expect(registry.getEntity('nope')).rejects.toMatchObject({ name: 'EntityNotFoundException' });
    await expect(fresh().document()).rejects.toMatchObject({ name: 'ProjectNotFoundException' });
  });

  it('sets project metadata from a project object with the same name only', async () => {
    const registry = fresh();
    await registry.apply([project({ name: 'proj', description: 'hello' })]);
    expect((await registry.document()).project.description).toBe('hello');
    await expect(registry.apply([project({ name: 'other' })])).rejects.toThrow(/does not match the store's project 'proj'/);
  });

  it('records materialization intervals and saved datasets, and tears down', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    await registry.addMaterializationInterval('stats', { start: '2021-01-01T00:00:00Z', end: '2021-01-02T00:00:00Z' });
    expect((await registry.document()).featureViews.stats.materializationIntervals).toEqual([{ start: '2021-01-01T00:00:00Z', end: '2021-01-02T00:00:00Z' }]);
    const dataset = { kind: 'savedDataset' as const, name: 'ds', features: ['stats:trips'], joinKeys: ['driver_id'], fullFeatureNames: false, storage: { format: 'parquet' as const, path: 'x' }, rowCount: 3 };
    await registry.saveDataset(dataset);
    await expect(registry.saveDataset(dataset)).rejects.toMatchObject({ name: 'SavedDatasetExistsError' });
    await registry.saveDataset({ ...dataset, rowCount: 4 }, { allowOverwrite: true });
    expect((await registry.getSavedDataset('ds')).rowCount).toBe(4);
    await registry.teardown();
    await expect(registry.document()).rejects.toMatchObject({ name: 'ProjectNotFoundException' });
  });

  it('loses no update when two writers apply at the same time', async () => {
    const store = new MemoryRegistryStore();
    const writers = Array.from({ length: 6 }, () => new Registry(store, 'proj'));
    await Promise.all(writers.map((w, i) => w.apply([entity({ name: `e${i}`, joinKeys: [`k${i}`] })])));
    expect((await writers[0].listEntities()).map((e) => e.name).sort()).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
  });
});
