import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatValueType } from '../../src/definitions/index.js';
import { writeFeastRegistry } from '../../src/feast/registry/index.js';
import { exampleDocument } from './example-document.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
const dir = new URL('../fixtures/feast/feast-reads-feast-edge/', import.meta.url);
const read = (name: string) => readFileSync(new URL(name, dir));

describe('what real Feast 0.66 read from a registry feast-edge wrote (fixtures/feast/feast-reads-feast-edge)', () => {
  it('writes the very bytes Feast accepted', async () => {
    const bytes = writeFeastRegistry(await exampleDocument(), { versionId: 'feast-edge-edge' });
    expect(Buffer.from(bytes).equals(read('edge-registry.db'))).toBe(true);
  });

  it("matches Feast's listing of it: views, types (Map, Json, Struct), ttl, entities, projections", async () => {
    const doc = await exampleDocument();
    const listed = JSON.parse(read('edge-feast-list.json').toString());
    expect(listed.feature_views.map((v: any) => [v[0], v[3], v[4]])).toEqual(
      Object.values(doc.featureViews)
        .map(({ spec }) => [spec.name, spec.features.map((f) => [f.name, formatValueType(f.dtype)]), spec.ttlSeconds === 0 ? null : spec.ttlSeconds])
        .sort(),
    );
    expect(listed.on_demand_feature_views.map((v: any) => v[0])).toEqual(Object.keys(doc.onDemandFeatureViews));
    expect(listed.feature_services[0][1].map((p: any) => [p[0], p[1], p[2], p[3]])).toEqual(
      doc.featureServices.svc.spec.projections.map((p) => [p.viewName, p.alias ?? null, p.features, p.joinKeyMap]),
    );
    expect(listed.entities).toEqual([['driver', 'driver_id', 'ValueType.INT64']]);
  });

  it('lists for a Feast registry written back what Feast lists for the original, but the inferred entity type', () => {
    const original = JSON.parse(read('quickstart-original-feast-list.json').toString());
    const written = JSON.parse(read('quickstart-feast-list.json').toString());
    expect(written.entities).toEqual([['driver', 'driver_id', 'ValueType.INT64']]);
    expect({ ...written, entities: original.entities }).toEqual(original);
  });
});
