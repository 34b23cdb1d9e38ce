import { describe, expect, it } from 'vitest';
import {
  entity,
  featureService,
  featureView,
  field,
  fileSource,
  Float32,
  Int64,
  onDemandFeatureView,
  projection,
  String as Str,
} from '../../src/definitions/index.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { Registry } from '../../src/registry/registry.js';
import { driver, live, livePush, plusX, service, stats, statsSource } from './fixtures/definitions.js';

const fresh = () => new Registry(new MemoryRegistryStore(), 'proj');

describe('validation at apply time', () => {
  it('refuses a feature view whose entity is not applied, naming the view and the field', async () => {
    await expect(fresh().apply([stats])).rejects.toMatchObject({
      name: 'InvalidDefinitionError',
      message: "featureView 'stats'.entities[0]: entity 'driver' is not applied; none exist",
    });
  });

  it('refuses a view defined with a join key the applied entity no longer has', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    const renamed = entity({ name: 'driver', joinKeys: ['driver_key'], valueType: Int64 });
    await expect(registry.apply([renamed])).rejects.toThrow(
      "featureView 'stats'.entities[0]: entity 'driver' joins on 'driver_key' (Int64) but the view was defined with 'driver_id' (Int64)",
    );
    const retyped = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Str });
    await expect(registry.apply([retyped])).rejects.toThrow(/joins on 'driver_id' \(String\) but the view was defined with 'driver_id' \(Int64\)/);
  });

  it('refuses an on-demand view whose source view or feature does not exist', async () => {
    await expect(fresh().apply([driver, plusX])).rejects.toThrow("onDemandFeatureView 'plus_x'.sources[0]: feature view 'stats' is not applied; none exist");
    const registry = fresh();
    await registry.apply([driver, stats]);
    const narrower = featureView({ name: 'stats', entities: [driver], source: statsSource, schema: [field('trips', Int64)] });
    await expect(registry.apply([narrower, plusX])).rejects.toThrow(
      "onDemandFeatureView 'plus_x'.sources[0].features: 'stats' has no feature 'conv_rate'; valid: 'trips'",
    );
  });

  it('refuses a feature service naming an unknown view or feature', async () => {
    await expect(fresh().apply([driver, service])).rejects.toThrow("featureService 'svc'.features[0]: feature view 'stats' is not applied; none exist");
    const bad = { ...service, projections: [{ ...service.projections[0], features: ['nope'] }] };
    await expect(fresh().apply([driver, stats, bad])).rejects.toThrow(
      "featureService 'svc'.features[0].features: 'stats' has no feature 'nope'; valid: 'conv_rate', 'trips'",
    );
    const missingOdfv = featureService({ name: 'svc2', features: [plusX] });
    await expect(fresh().apply([driver, stats, missingOdfv])).rejects.toThrow(
      "featureService 'svc2'.features[0]: on-demand feature view 'plus_x' is not applied; valid: 'stats'",
    );
    await expect(fresh().apply([driver, stats, plusX, service])).resolves.toMatchObject({ removed: [] });
  });

  it('refuses a projection whose join-key map names a key the view does not have', async () => {
    const mapped = featureService({ name: 'mapped', features: [projection(stats, { alias: 'origin', joinKeyMap: { driver_id: 'origin_id' } })] });
    const registry = fresh();
    await registry.apply([driver, stats, mapped]);
    const rekeyed = { ...mapped, name: 'rekeyed', projections: [{ ...mapped.projections[0], joinKeyMap: { rider_id: 'x' } }] };
    await expect(registry.apply([rekeyed])).rejects.toThrow(
      "featureService 'rekeyed'.features[0].joinKeyMap: 'rider_id' is not a join key of 'stats'; valid: 'driver_id'",
    );
  });

  it('refuses two different definitions with one name in one apply, but not the same one twice', async () => {
    const other = featureView({ name: 'stats', entities: [driver], source: statsSource, schema: [field('trips', Int64)] });
    await expect(fresh().apply([driver, stats, other])).rejects.toMatchObject({
      name: 'InvalidDefinitionError',
      message: "apply: two different featureView definitions are named 'stats' (featureView 'stats' differs from featureView 'stats')",
    });
    const driver2 = entity({ name: 'driver', joinKeys: ['id'] });
    await expect(fresh().apply([driver, driver2])).rejects.toThrow(/two different entity definitions are named 'driver'/);
    await expect(fresh().apply([driver, stats, driver, stats])).resolves.toMatchObject({ changed: [] });
  });

  it('refuses a data source name used by two different specs in one apply', async () => {
    const moved = fileSource({ name: 'stats_src', path: 'data/elsewhere.parquet' });
    await expect(fresh().apply([driver, stats, moved])).rejects.toMatchObject({
      name: 'DataSourceRepeatNamesException',
      message:
        "data source name 'stats_src' is used by two different definitions in one apply: featureView 'stats'.batchSource differs from fileSource 'stats_src'",
    });
    const sharing = featureView({ name: 'stats2', entities: [driver], source: statsSource, schema: [field('x', Float32)] });
    await expect(fresh().apply([driver, stats, sharing, statsSource])).resolves.toMatchObject({ removed: [] });
  });

  it("refuses a source re-applied alone when a view's copy of it would go stale, naming the view", async () => {
    const registry = fresh();
    await registry.apply([driver, stats, live]);
    const moved = fileSource({ name: 'stats_src', path: 'data/elsewhere.parquet' });
    await expect(registry.apply([moved])).rejects.toThrow(
      "featureView 'stats'.batchSource: data source 'stats_src' in the registry differs from this copy; apply this object again with the current source",
    );
    const movedLive = fileSource({ name: 'live_batch', path: 'data/elsewhere.parquet' });
    await expect(registry.apply([movedLive])).rejects.toThrow(/^featureView 'live'.batchSource: data source 'live_batch'/);
    const pushOnly = fresh();
    await pushOnly.apply([livePush]);
    await expect(pushOnly.apply([movedLive])).rejects.toThrow(/^pushSource 'live_push'.batchSource: data source 'live_batch'/);
    const statsMoved = featureView({
      name: 'stats',
      entities: [driver],
      source: moved,
      ttl: '1d',
      schema: [field('conv_rate', Float32), field('trips', Int64)],
    });
    await expect(registry.apply([statsMoved])).resolves.toMatchObject({
      changed: [
        { kind: 'fileSource', name: 'stats_src', fields: ['path'] },
        { kind: 'featureView', name: 'stats', fields: ['batchSource'] },
      ],
    });
  });

  it('refuses one name for a feature view and an on-demand view, in one apply or across applies (ConflictingFeatureViewNames)', async () => {
    const clash = onDemandFeatureView({ name: 'stats', sources: [stats], schema: [field('z', Int64)], transform: () => ({ z: 1 }) });
    await expect(fresh().apply([driver, stats, clash])).rejects.toMatchObject({
      name: 'ConflictingFeatureViewNames',
      message: "the feature view name 'stats' refers to feature views of different types: featureView 'stats' and onDemandFeatureView 'stats'",
    });
    const registry = fresh();
    await registry.apply([driver, stats]);
    await expect(registry.apply([clash])).rejects.toMatchObject({ name: 'ConflictingFeatureViewNames' });
    const shouting = onDemandFeatureView({ name: 'STATS', sources: [stats], schema: [field('z', Int64)], transform: () => ({ z: 1 }) });
    await expect(registry.apply([shouting])).rejects.toMatchObject({ name: 'ConflictingFeatureViewNames' });
    const cased = featureView({ name: 'Stats', entities: [driver], source: statsSource, schema: [field('trips', Int64)] });
    await expect(registry.apply([cased])).rejects.toThrow("featureView names must be unique ignoring case: featureView 'stats' and featureView 'Stats'");
  });

  it('refuses what is not a definition, listing the kinds it takes', async () => {
    await expect(fresh().apply([{ kind: 'table', name: 't' } as never])).rejects.toThrow(
      'apply: expected feast-edge definitions (project, entity, fileSource, pushSource, requestSource, featureView, onDemandFeatureView, streamFeatureView, featureService), got {"kind":"table","name":"t"}',
    );
    await expect(fresh().apply([null as never])).rejects.toThrow(/got null/);
  });

  it('leaves the registry as it was when an apply is refused', async () => {
    const registry = fresh();
    await registry.apply([driver, stats]);
    await expect(registry.apply([featureService({ name: 'bad', features: [plusX] })])).rejects.toThrow(/is not applied/);
    expect(await registry.version()).toBe(1);
    expect(await registry.listFeatureServices()).toEqual([]);
  });
});
