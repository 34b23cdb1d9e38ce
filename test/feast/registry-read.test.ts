import { describe, expect, it } from 'vitest';
import { formatValueType, type Field } from '../../src/definitions/index.js';
import { readFeastRegistry } from '../../src/feast/registry/index.js';
import { streamViewsOf, type RegistryDocument } from '../../src/registry/document.js';
import { EXPECTED_TYPE, FILES, fixtureBytes, fixtureJson, REPOS, seconds } from './fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const STRUCT_TAG = 'feast:struct_schema';

/** A Feast field spec from registry.json as the feast-edge field it must become. */
function expectedField(f: any) {
  const tags = Object.fromEntries(Object.entries(f.tags ?? {}).filter(([k]) => k !== STRUCT_TAG));
  let type = EXPECTED_TYPE[f.value_type];
  if (f.value_type === 'STRUCT') {
    const members = JSON.parse(f.tags[STRUCT_TAG]) as Record<string, string>;
    type = `Struct({${Object.entries(members)
      .map(([n, t]) => `${n}: ${EXPECTED_TYPE[t === 'FLOAT32' ? 'FLOAT' : t === 'FLOAT64' ? 'DOUBLE' : t]}`)
      .join(', ')}})`;
  }
  return { name: f.name, type, description: f.description, tags: Object.keys(tags).length > 0 ? tags : undefined };
}
const actualField = (f: Field) => ({ name: f.name, type: formatValueType(f.dtype), description: f.description, tags: f.tags });

describe.each(REPOS.flatMap((repo) => FILES.map((file) => [repo, file] as const)))("readFeastRegistry(%s/%s.db) against Feast's own decoding", (repo, file) => {
  const json = fixtureJson(repo, file);
  let doc: RegistryDocument;
  const read = async () => (doc ??= await readFeastRegistry(fixtureBytes(repo, file), { project: repo }));

  it('reads the project, its description and tags', async () => {
    const p = json.projects[0].spec;
    expect((await read()).project).toEqual({
      kind: 'project',
      name: p.name,
      ...(p.description ? { description: p.description } : {}),
      ...(p.tags ? { tags: p.tags } : {}),
    });
  });

  it("lists every entity but Feast's __dummy, with join key, type, tags and times", async () => {
    const entities = json.entities.filter((e: any) => e.spec.name !== '__dummy');
    expect(Object.keys((await read()).entities)).toEqual(entities.map((e: any) => e.spec.name));
    for (const e of entities) {
      const stored = doc.entities[e.spec.name];
      expect(stored.spec.joinKeys).toEqual([e.spec.join_key]);
      // An entity Feast left untyped takes its views' join-key column type.
      const columnType = json.feature_views.flatMap((v: any) => v.spec.entity_columns).find((c: any) => c.name === e.spec.join_key)?.value_type;
      expect(formatValueType(stored.spec.valueType)).toBe(EXPECTED_TYPE[e.spec.value_type ?? columnType]);
      expect([stored.spec.description, stored.spec.tags, stored.spec.owner]).toEqual([e.spec.description, e.spec.tags, e.spec.owner]);
      expect([stored.createdAt, stored.lastUpdatedAt]).toEqual([e.meta.created_timestamp, e.meta.last_updated_timestamp]);
    }
  });

  it('maps file, push and request sources: uri, timestamp and created columns, field mapping, schema', async () => {
    await read();
    expect(Object.keys(doc.dataSources)).toEqual(json.data_sources.map((s: any) => s.name));
    for (const s of json.data_sources) {
      const spec: any = doc.dataSources[s.name].spec;
      const file = s.type === 'PUSH_SOURCE' ? s.batch_source : s;
      expect(spec.kind).toBe({ BATCH_FILE: 'fileSource', PUSH_SOURCE: 'pushSource', REQUEST_SOURCE: 'requestSource' }[s.type as string]);
      if (s.type === 'REQUEST_SOURCE') {
        expect(spec.schema.map(actualField)).toEqual(s.request_data_options.schema.map(expectedField));
        continue;
      }
      const fs = s.type === 'PUSH_SOURCE' ? spec.batchSource : spec;
      expect([fs.name, fs.path, fs.format, fs.timestampField, fs.createdTimestampColumn, fs.fieldMapping]).toEqual([
        file.name,
        file.file_options.uri,
        'parquet',
        file.timestamp_field,
        file.created_timestamp_column,
        file.field_mapping ?? {},
      ]);
      expect([spec.description, spec.tags, spec.owner]).toEqual([s.description, s.tags, s.owner]);
      expect([doc.dataSources[s.name].createdAt, doc.dataSources[s.name].lastUpdatedAt]).toEqual([s.meta.created_timestamp, s.meta.last_updated_timestamp]);
    }
  });

  it('maps feature views: entities, schema with every value type, ttl (0s and absent), online, tags, sources, intervals', async () => {
    await read();
    expect(Object.keys(doc.featureViews)).toEqual(json.feature_views.map((v: any) => v.spec.name));
    for (const { spec: v, meta } of json.feature_views) {
      const stored = doc.featureViews[v.name];
      const spec = stored.spec;
      expect(spec.entities).toEqual(v.entities.filter((e: string) => e !== '__dummy'));
      expect(spec.entityColumns.map(actualField)).toEqual(v.entity_columns.map(expectedField));
      expect(spec.features.map(actualField)).toEqual(v.features.map(expectedField));
      expect(spec.ttlSeconds).toBe(seconds(v.ttl));
      expect([spec.online, spec.offline]).toEqual([v.online ?? false, v.offline ?? false]);
      expect([spec.description, spec.tags, spec.owner]).toEqual([v.description, v.tags, v.owner]);
      expect(spec.batchSource.name).toBe(v.batch_source.name);
      expect(spec.batchSource.fieldMapping).toEqual(v.batch_source.field_mapping ?? {});
      expect(spec.streamSource?.name).toBe(v.stream_source?.name);
      expect(stored.materializationIntervals).toEqual((meta.materialization_intervals ?? []).map((i: any) => ({ start: i.start_time, end: i.end_time })));
      expect([stored.createdAt, stored.lastUpdatedAt]).toEqual([meta.created_timestamp, meta.last_updated_timestamp]);
    }
  });

  it('keeps Feast fields feast-edge does not model (enable_validation, version, state) on the view', async () => {
    await read();
    for (const { spec: v } of json.feature_views) expect(Object.keys(doc.featureViews[v.name].feastUnmodeled ?? {})).toContain('spec');
  });

  it('maps stream views with their aggregations (column, function, window, slide, name)', async () => {
    await read();
    const views = json.stream_feature_views ?? [];
    expect(Object.keys(streamViewsOf(doc))).toEqual(views.map((v: any) => v.spec.name));
    for (const { spec: v } of views) {
      const spec = streamViewsOf(doc)[v.name].spec;
      expect(spec.entityColumns.map(actualField)).toEqual(v.entity_columns.map(expectedField));
      const keys = v.entity_columns.map((c: any) => c.name);
      expect(spec.inputs.map(actualField)).toEqual(v.features.filter((f: any) => !keys.includes(f.name)).map(expectedField));
      expect(spec.aggregations.map((a) => [a.column, a.fn, a.windowSeconds, a.slideSeconds, a.name])).toEqual(
        v.aggregations.map((a: any) => [
          a.column,
          a.function,
          seconds(a.time_window),
          seconds(a.slide_interval),
          // Without a name Feast calls the output <function>_<column>_<window seconds>s.
          a.name ?? `${a.function}_${a.column}_${seconds(a.time_window)}s`,
        ]),
      );
      expect([spec.timestampField, spec.tags, spec.source.name, spec.batchSource.name]).toEqual([
        v.timestamp_field,
        v.tags,
        v.stream_source.name,
        v.batch_source.name,
      ]);
    }
  });

  it("keeps on-demand views' Python (source text, mode, dill pickle) and marks them as Python", async () => {
    await read();
    expect(Object.keys(doc.onDemandFeatureViews)).toEqual(json.on_demand_feature_views.map((v: any) => v.spec.name));
    for (const { spec: v } of json.on_demand_feature_views) {
      const spec = doc.onDemandFeatureViews[v.name].spec;
      const udf = v.feature_transformation.user_defined_function;
      expect(spec.transformLanguage).toBe('python');
      expect(spec.transformSource).toBe(udf.body_text);
      expect(spec.feastUdf).toEqual({ name: udf.name, mode: udf.mode, bodyBase64: udf.body });
      expect(spec.features.map(actualField)).toEqual(v.features.map(expectedField));
      const sources = Object.values(v.sources) as any[];
      expect(spec.sources.map((p) => [p.viewName, p.features])).toEqual(
        sources
          .filter((s) => s.feature_view_projection)
          .map((s) => [s.feature_view_projection.feature_view_name, s.feature_view_projection.feature_columns.map((c: any) => c.name)]),
      );
      expect(spec.requestSources.map((r) => [r.name, r.schema.map(actualField)])).toEqual(
        sources
          .filter((s) => s.request_data_source)
          .map((s) => [s.request_data_source.name, s.request_data_source.request_data_options.schema.map(expectedField)]),
      );
      expect(spec.tags).toEqual(v.tags);
    }
  });

  it('maps feature services: projections with features, aliases and join-key maps', async () => {
    await read();
    expect(Object.keys(doc.featureServices)).toEqual(json.feature_services.map((s: any) => s.spec.name));
    for (const { spec: s } of json.feature_services) {
      const spec = doc.featureServices[s.name].spec;
      expect(spec.projections.map((p) => [p.viewName, p.alias, p.features, p.joinKeyMap])).toEqual(
        s.features.map((p: any) => [p.feature_view_name, p.feature_view_name_alias, p.feature_columns.map((c: any) => c.name), p.join_key_map ?? {}]),
      );
      expect([spec.description, spec.tags, spec.owner]).toEqual([s.description, s.tags, s.owner]);
    }
  });

  it('maps saved datasets', async () => {
    await read();
    const datasets = json.saved_datasets ?? [];
    expect(Object.keys(doc.savedDatasets)).toEqual(datasets.map((d: any) => d.spec.name));
    for (const { spec: d, meta } of datasets) {
      const spec = doc.savedDatasets[d.name].spec;
      expect([spec.features, spec.joinKeys, spec.fullFeatureNames, spec.storage.path, spec.tags, spec.minEventTimestamp, spec.maxEventTimestamp]).toEqual([
        d.features,
        d.join_keys,
        d.full_feature_names ?? false,
        d.storage.file_storage.uri,
        d.tags,
        meta.min_event_timestamp,
        meta.max_event_timestamp,
      ]);
    }
  });

  it('keeps what it does not model: registry fields (infra, label views, history) and nothing left unread', async () => {
    await read();
    expect(doc.feast?.registryFields).toBeTruthy();
    expect(doc.feast?.carriedObjects).toBeUndefined();
    expect(doc.feast?.dummyEntity?.createdAt).toBe(json.entities.find((e: any) => e.spec.name === '__dummy').meta.created_timestamp);
  });
});

describe('readFeastRegistry errors', () => {
  it('names the projects when the asked-for one is absent', async () => {
    await expect(readFeastRegistry(fixtureBytes('rich', 'registry'), { project: 'nope' })).rejects.toThrow(/has no project 'nope'; projects: rich/);
  });
  it('refuses bytes that are not a Registry message', async () => {
    await expect(readFeastRegistry(new Uint8Array([0xff, 0xff, 0xff]))).rejects.toThrow(/registry\.db: not a feast\.core\.Registry message/);
  });
});
