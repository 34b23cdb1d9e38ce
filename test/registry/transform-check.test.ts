import { describe, expect, it } from 'vitest';
import { entity, featureView, field, fileSource, Float64, Int64, onDemandFeatureView } from '../../src/index.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { Registry } from '../../src/registry/registry.js';
import { assertTransformsMatch, checkTransforms } from '../../src/registry/transform-check.js';

const driver = entity({ name: 'driver', joinKeys: ['driver_id'], valueType: Int64 });
const source = fileSource({ name: 'stats', path: 'stats.parquet', timestampField: 'ts' });
const stats = featureView({ name: 'stats', entities: [driver], source, schema: [field('x', Float64)] });
const plus = (name: string, transform: (row: Record<string, unknown>) => Record<string, unknown>) =>
  onDemandFeatureView({ name, sources: [stats], schema: [field('y', Float64)], transform });

describe('the transform check of a stored registry', () => {
  it("matches the applied code, tolerates another transpiler's formatting, and names each view whose code differs", async () => {
    const registry = new Registry(new MemoryRegistryStore(), 'p');
    const applied = [driver, source, stats, plus('plus_one', (r) => ({ y: Number(r.x) + 1 })), plus('plus_two', (r) => ({ y: Number(r.x) + 2 }))];
    await registry.apply(applied);
    const document = await registry.document();
    expect(await checkTransforms(document, applied)).toEqual({ matching: ['plus_one', 'plus_two'], differing: [] });

    // The same function as a bundler prints it: other whitespace, no trailing comma, double quotes.
    const reprinted = { ...plus('plus_one', (r) => ({ y: Number(r.x) + 1 })), transformSource: '(r) => ({\n    y: Number(r.x) + 1,\n  })' };
    const changed = plus('plus_two', (r) => ({ y: Number(r.x) * 2 }));
    expect(await checkTransforms(document, [reprinted, changed])).toEqual({ matching: ['plus_one'], differing: ['plus_two'] });
    await expect(assertTransformsMatch(document, [reprinted, changed])).rejects.toMatchObject({
      name: 'TransformMismatchError',
      views: ['plus_two'],
      message: expect.stringContaining("'plus_two'"),
    });
    // As a minifier prints it (the demo's worker bundle): no parentheses around the lone parameter.
    const minified = { ...plus('plus_one', (r) => ({ y: Number(r.x) + 1 })), transformSource: 'r=>({y:Number(r.x)+1})' };
    const renamed = { ...plus('plus_one', (r) => ({ y: Number(r.x) + 1 })), transformSource: 'e=>({y:Number(e.x)+1})' };
    expect(await checkTransforms(document, [minified])).toEqual({ matching: ['plus_one'], differing: [] });
    // Mangled names are other text: the check cannot tell them from other code, so they differ.
    expect(await checkTransforms(document, [renamed])).toEqual({ matching: [], differing: ['plus_one'] });
    // A view the registry does not have yet is for apply to add, not a mismatch.
    expect(await checkTransforms(document, [plus('plus_three', (r) => r)])).toEqual({ matching: [], differing: [] });
  });
});
