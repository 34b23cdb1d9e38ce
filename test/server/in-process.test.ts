import { describe, expect, it } from 'vitest';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureServer } from '../../src/server/feature-server.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { FIXTURE_PROJECT, fixtureObjects } from './fixture-definitions.js';
import { runWireCases, wireCases } from './wire-cases.js';

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
      body: JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: Array.from({ length: 100 }, (_, i) => i) } }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ type: 'RequestEntityTooLarge', status_code: 413 });
  });

  it('answers malformed JSON with a 422 naming the body', async () => {
    const { app } = await server();
    const response = await app.request('/push', { method: 'POST', body: '{"push_source_name": ' });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ type: 'RequestValidationError', message: expect.stringMatching(/^body: expected JSON/) });
  });

  it('checks bearer tokens: reads need the read or write token, writes the write token', async () => {
    const { app } = await server({ auth: { readToken: 'r-secret', writeToken: 'w-secret' } });
    const read = (token?: string) =>
      app.request('/get-online-features', {
        method: 'POST',
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        body: JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } }),
      });
    const write = (token: string) =>
      app.request('/write-to-online-store', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}` },
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
    expect(await (await write('r-secret')).json()).toMatchObject({ type: 'PermissionDeniedError' });
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
    await app.request('/get-online-features', { method: 'POST', body: '{}' });
    const text = await (await app.request('/metrics')).text();
    expect(text).toContain('feast_edge_requests_total{method="GET",route="/health",status="200"} 1');
    expect(text).toContain('feast_edge_requests_total{method="POST",route="/get-online-features",status="422"} 1');
    expect(text).toMatch(/feast_edge_request_duration_seconds_count\{method="GET",route="\/health"\} 1/);
  });

  it('sees an apply made after it started, once the registry ttl has passed', async () => {
    const { store, app } = await server({ registryTtlSeconds: 0 });
    const ask = () =>
      app.request('/get-online-features', { method: 'POST', body: JSON.stringify({ features: ['driver_hourly_stats:speed'], entities: { driver_id: [1] } }) });
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
