import {
  entity,
  featureService,
  featureView,
  field,
  fileSource,
  Float64,
  Int64,
  Json,
  Map,
  onDemandFeatureView,
  projection,
  requestSource,
  String,
  Struct,
} from '../../src/definitions/index.js';
import type { RegistryDocument } from '../../src/registry/document.js';
import { sha256Hex } from '../../src/registry/hash.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { Registry } from '../../src/registry/registry.js';

/**
 * A registry feast-edge itself applied, with what Feast must accept from it: Map, Json and
 * Struct features, a view without entities, a TypeScript on-demand view and an aliased,
 * join-key-mapped projection. Fixed times, so its registry.db bytes are the same each run.
 */
export async function exampleDocument(): Promise<RegistryDocument> {
  const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
  const src = fileSource({ name: 'stats_src', path: 'data/stats.parquet', createdTimestampColumn: 'created', fieldMapping: { raw: 'score' } });
  const stats = featureView({
    name: 'stats',
    entities: [driver],
    source: src,
    ttl: '2h',
    tags: { team: 'x' },
    schema: [field('score', Float64), field('meta', Map), field('config', Json), field('profile', Struct({ name: String, age: Int64 }))],
  });
  const global = featureView({
    name: 'global_stats',
    source: fileSource({ name: 'global_src', path: 'data/global.parquet' }),
    schema: [field('total', Int64)],
  });
  const vals = requestSource({ name: 'vals', schema: [field('x', Int64)] });
  const plusX = onDemandFeatureView({
    name: 'plus_x',
    sources: [stats, vals],
    schema: [field('score_plus_x', Float64)],
    transform: (r) => ({ score_plus_x: Number(r.score) + Number(r.x) }),
  });
  const svc = featureService({
    name: 'svc',
    features: [projection(stats, { features: ['score'], alias: 'partner', joinKeyMap: { driver_id: 'partner_id' } }), plusX, global],
  });
  const registry = new Registry(new MemoryRegistryStore(), 'edge');
  await registry.apply([driver, src, stats, global, vals, plusX, svc]);
  const fixed = '2026-01-02T03:04:05.678Z';
  // Each transpiler (tsx, vitest) prints the transform differently: pin its text too.
  const transformSource = '(r) => ({ score_plus_x: Number(r.score) + Number(r.x) })';
  const transformHash = await sha256Hex(transformSource);
  return JSON.parse(JSON.stringify(await registry.document()), (key, value: unknown) =>
    key === 'createdAt' || key === 'lastUpdatedAt' ? fixed : key === 'transformSource' ? transformSource : key === 'transformHash' ? transformHash : value,
  ) as RegistryDocument;
}
