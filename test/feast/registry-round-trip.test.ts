import { fromBinary, toJson, type DescMessage, type Message } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { RegistrySchema, type Registry } from '../../src/feast/proto/feast/core/Registry_pb.js';
import { readFeastRegistry, writeFeastRegistry } from '../../src/feast/registry/index.js';
import { collectUnknown } from '../../src/feast/registry/unknown-fields.js';
import { exampleDocument } from './example-document.js';
import { FILES, fixtureBytes, REPOS } from './fixtures.js';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Fields the round trip does not carry, each with its reason:
 * - version_id: a new random id per write, as Feast does per commit.
 * - a push source's own copy of its batch source takes the batch source's registered times
 *   (Feast keeps the times of when the push source was defined): feast-edge keeps one copy of a source.
 * - an entity Feast left untyped (value_type unset) is written with the type its views' join-key columns have.
 * - a ttl left out (ttl=None) is written as 0s: Feast reads both as "no lookback limit".
 */
function dropUncarried(json: any, original: any): any {
  delete json.version_id;
  for (const s of json.data_sources ?? []) if (s.batch_source) delete s.batch_source.meta.last_updated_timestamp;
  const untyped = new Set((original.entities ?? []).filter((e: any) => e.spec.value_type === undefined).map((e: any) => e.spec.name));
  for (const e of json.entities ?? []) if (untyped.has(e.spec.name)) delete e.spec.value_type;
  const noTtl = new Set((original.feature_views ?? []).filter((v: any) => v.spec.ttl === undefined).map((v: any) => v.spec.name));
  for (const v of json.feature_views ?? []) if (noTtl.has(v.spec.name) && v.spec.ttl === '0s') delete v.spec.ttl;
  return json;
}

/** Lists compared without their order (Feast writes sets in hash order), maps as objects. */
function canonical(value: any): any {
  if (Array.isArray(value)) return value.map(canonical).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k, canonical(v)])
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  return value;
}

const json = (r: Registry): any => toJson(RegistrySchema, r, { useProtoFieldName: true });
const asJson = (r: Registry, original: Registry) => canonical(dropUncarried(json(r), json(original)));

/** Every unknown field of every object, by collection and object name: the fields feast-edge carries without modeling. */
function unknownFields(r: Registry) {
  const out: Record<string, unknown> = { registry: r.$unknown?.map((u) => [u.no, [...u.data]]) };
  const lists: [string, DescMessage, Message[]][] = RegistrySchema.fields
    .filter((f) => f.fieldKind === 'list' && f.message)
    .map((f) => [f.name, f.message!, (r as any)[f.localName]]);
  for (const [name, desc, list] of lists) {
    for (const o of list) out[`${name}/${(o as any).spec?.name ?? (o as any).name}`] = collectUnknown(desc, o);
  }
  return out;
}

describe.each(REPOS.flatMap((repo) => FILES.map((file) => [repo, file] as const)))('%s/%s.db -> document -> registry.db', (repo, file) => {
  const original = fromBinary(RegistrySchema, fixtureBytes(repo, file));
  const written = async () => fromBinary(RegistrySchema, writeFeastRegistry(await readFeastRegistry(fixtureBytes(repo, file)), { versionId: 'fixed' }));

  it('holds the same objects and values for every declared field, but those listed as not carried', async () => {
    expect(asJson(await written(), original)).toEqual(asJson(original, original));
  });

  it('puts back every Feast field feast-edge does not model, byte for byte (infra, label views, versions, states, logging, pickles)', async () => {
    expect(unknownFields(await written())).toEqual(unknownFields(original));
  });

  it('reads back into the same document', async () => {
    const doc = await readFeastRegistry(fixtureBytes(repo, file));
    expect(await readFeastRegistry(writeFeastRegistry(doc))).toEqual(doc);
  });
});

describe('a feast-edge registry written for Feast and read back', () => {
  it('keeps every object, the TypeScript transform and the value types', async () => {
    const doc = await exampleDocument();
    const back = await readFeastRegistry(writeFeastRegistry(doc));
    const strip = (d: any) => ({ ...d, version: 0, feast: undefined });
    expect(JSON.parse(JSON.stringify(strip(back)))).toEqual(JSON.parse(JSON.stringify(strip(doc))));
    expect(back.onDemandFeatureViews.plus_x.spec.transformLanguage).toBeUndefined();
  });

  it("gives views without entities Feast's __dummy entity and column, and on-demand views a Python stub that refuses to run", async () => {
    const r = fromBinary(RegistrySchema, writeFeastRegistry(await exampleDocument()));
    expect(r.registrySchemaVersion).toBe('1');
    expect(r.entities.map((e) => e.spec?.name)).toEqual(['driver', '__dummy']);
    const global = r.featureViews.find((v) => v.spec?.name === 'global_stats')!.spec!;
    expect([global.entities, global.entityColumns.map((c) => [c.name, c.valueType])]).toEqual([['__dummy'], [['__dummy_id', 2]]]);
    const udf = r.onDemandFeatureViews[0].spec!.featureTransformation!.transformation.value as any;
    expect(udf.bodyText).toMatch(/^# feast-edge:typescript-transform .*\ndef plus_x\(inputs\):\n {4}raise NotImplementedError\(/);
    expect(r.projects.map((p) => p.spec?.name)).toEqual(['edge']);
  });
});
