import { describe, expect, it } from 'vitest';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureServer } from '../../src/server/feature-server.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { FIXTURE_PROJECT, fixtureObjects } from './fixture-definitions.js';
import { runWireCases, wireCases } from './wire-cases.js';

const JSON_TYPE = { 'content-type': 'application/json' };

async function server(options: Parameters<typeof createFeatureServer>[1] = {}) {
  const store = createFeatureStore({ project: FIXTURE_PROJECT, registry: new MemoryRegistryStore(), definitions: fixtureObjects });
  await store.apply(fixtureObjects);
  return { store, app: createFeatureServer(store, options) };
}

describe('the feature server in process (Hono app.fetch)', () => {
  it('answers every wire-format case as Feast does', async () => {
    const { app } = await server();
    const outcomes = await runWireCases(async (request) => app.fetch(request));
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes).toHaveLength(wireCases.length);
  });

  it('refuses bodies over the limit with a 413 JSON error', async () => {
    const { app } = await server({ maxBodyBytes: 200 });
    const response = await app.request('/get-online-features', {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: Array.from({ length: 100 }, (_, i) => i) } }),
    });
    expect([response.status, response.headers.get('x-feast-edge-error')]).toEqual([413, 'RequestEntityTooLarge']);
    expect(await response.json()).toBe('body: expected at most 200 bytes');
  });

  it("answers malformed JSON as Feast's server: FastAPI's 422 json_invalid, at Python's position, in Python's words", async () => {
    const { app } = await server();
    // Python's json stops at the end of the text (position 21) expecting a value.
    const response = await app.request('/push', { method: 'POST', headers: JSON_TYPE, body: '{"push_source_name": ' });
    expect(response.status).toBe(422);
    expect(await response.text()).toBe(
      '{"detail":[{"type":"json_invalid","loc":["body",21],"msg":"JSON decode error","input":{},"ctx":{"error":"Expecting value"}}]}',
    );
  });

  it('reads a body as JSON only when its content type says so (FastAPI: 422 otherwise, the text as input)', async () => {
    const { app } = await server();
    const body = JSON.stringify({
      push_source_name: 'driver_stats_push_source',
      df: { driver_id: [1], event_timestamp: ['2021-01-01T00:00:00Z'], conv_rate: [1], acc_rate: [1], avg_daily_trips: [1], label: ['x'] },
    });
    const untyped = await app.request('/push', { method: 'POST', body, headers: { 'content-type': 'text/plain' } });
    expect([untyped.status, await untyped.json()]).toEqual([
      422,
      { detail: [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: body }] },
    ]);
    const vendor = await app.request('/push', { method: 'POST', body, headers: { 'content-type': 'application/vnd.feast+json; charset=utf-8' } });
    expect(vendor.status).toBe(200);
  });

  it('checks bearer tokens: reads need the read or write token, writes the write token', async () => {
    const { app } = await server({ auth: { readToken: 'r-secret', writeToken: 'w-secret' } });
    const read = (token?: string) =>
      app.request('/get-online-features', {
        method: 'POST',
        headers: token ? { Authorization: `Bearer ${token}`, ...JSON_TYPE } : JSON_TYPE,
        body: JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } }),
      });
    const write = (token: string) =>
      app.request('/write-to-online-store', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, ...JSON_TYPE },
        body: JSON.stringify({
          feature_view_name: 'driver_hourly_stats',
          df: { driver_id: [1], event_timestamp: ['2021-01-01T00:00:00Z'], conv_rate: [1], acc_rate: [1], avg_daily_trips: [1], label: ['x'] },
        }),
      });
    expect((await read()).status).toBe(401);
    expect((await read('wrong')).status).toBe(403);
    expect((await read('r-secret')).status).toBe(200);
    expect((await read('w-secret')).status).toBe(200);
    expect((await write('r-secret')).status).toBe(403);
    const denied = await write('r-secret');
    expect(denied.headers.get('x-feast-edge-error')).toBe('PermissionDeniedError');
    expect(JSON.parse((await denied.json()) as string)).toMatchObject({ module: 'feast.errors', class: 'FeastPermissionError' });
    expect((await write('w-secret')).status).toBe(200);
    expect((await app.request('/health')).status).toBe(200);
  });

  it('allows configured CORS origins only', async () => {
    const { app } = await server({ corsOrigins: ['https://app.example'] });
    const allowed = await app.request('/health', { headers: { Origin: 'https://app.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const other = await app.request('/health', { headers: { Origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the registry document and Prometheus metrics', async () => {
    const { app } = await server();
    const registry = (await (await app.request('/registry')).json()) as { project: { name: string }; featureViews: Record<string, unknown> };
    expect(registry.project.name).toBe(FIXTURE_PROJECT);
    expect(Object.keys(registry.featureViews)).toEqual(['driver_hourly_stats']);
    await app.request('/health');
    await app.request('/get-online-features', { method: 'POST', headers: JSON_TYPE, body: '{}' });
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('feast_edge_requests_total{method="GET",route="/health",status="200"} 1');
    expect(text).toContain('feast_edge_requests_total{method="POST",route="/get-online-features",status="422"} 1');
    expect(text).toMatch(/feast_edge_request_duration_seconds_count\{method="GET",route="\/health"\} 1/);
  });

  it('sees an apply made after it started, once the registry ttl has passed', async () => {
    const { store, app } = await server({ registryTtlSeconds: 0 });
    const ask = () =>
      app.request('/get-online-features', {
        method: 'POST',
        headers: JSON_TYPE,
        body: JSON.stringify({ features: ['driver_hourly_stats:speed'], entities: { driver_id: [1] } }),
      });
    expect((await ask()).status).toBe(404);
    const { featureView, field, Float64, Int64, String: Str } = await import('../../src/index.js');
    const { driver, driverStatsPush } = await import('./fixture-definitions.js');
    await store.apply([
      featureView({
        name: 'driver_hourly_stats',
        entities: [driver],
        ttl: '0s',
        source: driverStatsPush,
        schema: [field('conv_rate', Float64), field('acc_rate', Float64), field('avg_daily_trips', Int64), field('label', Str), field('speed', Float64)],
      }),
    ]);
    const after = await ask();
    expect(after.status).toBe(200);
    expect(((await after.json()) as { metadata: { feature_names: string[] } }).metadata.feature_names).toEqual(['driver_id', 'speed']);
  });
});
