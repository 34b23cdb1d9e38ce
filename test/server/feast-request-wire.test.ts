/**
 * How the server reads requests and routes them, checked against what Feast 0.66's
 * server (FastAPI 0.142, pydantic 2) answered to the same requests: every expected body
 * below was recorded from `feast serve` over the rich fixture repo. Names of feast-edge's
 * fixture repo stand in where the answer does not depend on them.
 */
import { describe, expect, it } from 'vitest';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureServer } from '../../src/server/feature-server.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { FIXTURE_PROJECT, fixtureObjects } from './fixture-definitions.js';

async function server() {
  const store = createFeatureStore({ project: FIXTURE_PROJECT, registry: new MemoryRegistryStore(), definitions: fixtureObjects });
  await store.apply(fixtureObjects);
  return { store, app: createFeatureServer(store, { onServerError: () => {} }) };
}

const JSON_TYPE = { 'content-type': 'application/json' };
const post = async (app: Awaited<ReturnType<typeof server>>['app'], path: string, body: string) => {
  const response = await app.request(path, { method: 'POST', headers: JSON_TYPE, body });
  return { status: response.status, text: await response.text() };
};
const detail = (...entries: unknown[]) => JSON.stringify({ detail: entries });
const entry = (type: string, loc: (string | number)[], msg: string, input: unknown) => ({ type, loc, msg, input });
const LIST = 'Input should be a valid list';
const STRING = 'Input should be a valid string';
const BOOL = 'Input should be a valid boolean';
const BOOL_PARSING = 'Input should be a valid boolean, unable to interpret input';
const MISSING = 'Field required';
const GOOD = '{"entities": {"driver_id": [1001]}, "features": ["driver_hourly_stats:conv_rate"]';

describe("malformed bodies get FastAPI's 422, as Feast's server answers them", () => {
  it('lists every problem of a body, in the order of the route model fields', async () => {
    const { app } = await server();
    const G = '/get-online-features';
    const cases: [string, string, string][] = [
      [G, '[]', detail(entry('model_attributes_type', ['body'], 'Input should be a valid dictionary or object to extract fields from', []))],
      [G, 'null', detail(entry('missing', ['body'], MISSING, null))],
      [G, '', detail(entry('missing', ['body'], MISSING, null))],
      [G, '{}', detail(entry('missing', ['body', 'entities'], MISSING, {}))],
      [G, '{"entities": []}', detail({ type: 'dict_type', loc: ['body', 'entities'], msg: 'Input should be a valid dictionary', input: [] })],
      [G, '{"entities": {"driver_id": [1001]}, "features": [1, "a"]}', detail(entry('string_type', ['body', 'features', 0], STRING, 1))],
      [G, `${GOOD}, "full_feature_names": "maybe"}`, detail(entry('bool_parsing', ['body', 'full_feature_names'], BOOL_PARSING, 'maybe'))],
      [G, `${GOOD}, "full_feature_names": []}`, detail(entry('bool_type', ['body', 'full_feature_names'], BOOL, []))],
      [G, `${GOOD}, "full_feature_names": 2}`, detail(entry('bool_parsing', ['body', 'full_feature_names'], BOOL_PARSING, 2))],
      [G, `${GOOD}, "full_feature_names": 0.5}`, detail(entry('bool_type', ['body', 'full_feature_names'], BOOL, 0.5))],
      [G, `${GOOD}, "full_feature_names": null}`, detail(entry('bool_type', ['body', 'full_feature_names'], BOOL, null))],
      [G, `${GOOD}, "full_feature_names": " true"}`, detail(entry('bool_parsing', ['body', 'full_feature_names'], BOOL_PARSING, ' true'))],
      [G, '{"entities": {"driver_id": [1001]}, "feature_service": 5}', detail(entry('string_type', ['body', 'feature_service'], STRING, 5))],
      [G, '{"entities": {"driver_id": [1001]}, "features": null}', detail(entry('list_type', ['body', 'features'], LIST, null))],
      [G, '{"entities": {"driver_id": [1001], "other": 5}, "features": ["x:y"]}', detail(entry('list_type', ['body', 'entities', 'other'], LIST, 5))],
      [G, '{"features": "x"}', detail(entry('missing', ['body', 'entities'], MISSING, { features: 'x' }), entry('list_type', ['body', 'features'], LIST, 'x'))],
      [
        '/push',
        '{"push_source_name": 5, "df": [], "to": 1, "allow_registry_cache": "x", "transform_on_write": null}',
        detail(
          entry('string_type', ['body', 'push_source_name'], STRING, 5),
          { type: 'dict_type', loc: ['body', 'df'], msg: 'Input should be a valid dictionary', input: [] },
          entry('bool_parsing', ['body', 'allow_registry_cache'], BOOL_PARSING, 'x'),
          entry('string_type', ['body', 'to'], STRING, 1),
          entry('bool_type', ['body', 'transform_on_write'], BOOL, null),
        ),
      ],
      ['/push', '{}', detail(entry('missing', ['body', 'push_source_name'], MISSING, {}), entry('missing', ['body', 'df'], MISSING, {}))],
      ['/write-to-online-store', '{}', detail(entry('missing', ['body', 'feature_view_name'], MISSING, {}), entry('missing', ['body', 'df'], MISSING, {}))],
      [
        '/materialize',
        '{"start_ts": 1, "end_ts": 2, "feature_views": "x"}',
        detail(
          entry('string_type', ['body', 'start_ts'], STRING, 1),
          entry('string_type', ['body', 'end_ts'], STRING, 2),
          entry('list_type', ['body', 'feature_views'], LIST, 'x'),
        ),
      ],
      ['/materialize-incremental', '{"end_ts": 5}', detail(entry('string_type', ['body', 'end_ts'], STRING, 5))],
    ];
    for (const [path, body, expected] of cases) expect(await post(app, path, body), `${path} ${body}`).toEqual({ status: 422, text: expected });
  });

  it("accepts pydantic's lax booleans", async () => {
    const { app } = await server();
    for (const value of ['"yes"', '"TRUE"', '"On"', '"t"', '"N"', '1', '0', '1.0']) {
      expect((await post(app, '/get-online-features', `${GOOD}, "full_feature_names": ${value}}`)).status, value).toBe(200);
    }
  });

  it("reports text that is not JSON at Python's position (in code points), in Python's words", async () => {
    const { app } = await server();
    const cases: [string, number, string][] = [
      ['{"a" 1}', 5, "Expecting ':' delimiter"],
      ['{"a":1,}', 7, 'Expecting property name enclosed in double quotes'],
      ['[1,]', 3, 'Expecting value'],
      ['{"a":"x\ny"}', 7, 'Invalid control character at'],
      ['{"a":tru}', 5, 'Expecting value'],
      ['{} x', 3, 'Extra data'],
      ["{'a':1}", 1, 'Expecting property name enclosed in double quotes'],
      ['   ', 3, 'Expecting value'],
      ['{"a":"\\q"}', 6, 'Invalid \\escape'],
      ['{"a":"\\u12"}', 7, 'Invalid \\uXXXX escape'],
      ['{"a":"abc', 5, 'Unterminated string starting at'],
      ['[1 2]', 3, "Expecting ',' delimiter"],
      ['{"a":-}', 5, 'Expecting value'],
      ['{"a":01}', 6, "Expecting ',' delimiter"],
      ['{"a":1.}', 6, "Expecting ',' delimiter"],
      ['{,}', 1, 'Expecting property name enclosed in double quotes'],
      ['{"é":[', 6, 'Expecting value'],
      ['{"😀":[', 6, 'Expecting value'],
    ];
    for (const [body, pos, error] of cases) {
      expect(await post(app, '/get-online-features', body), body).toEqual({
        status: 422,
        text: detail({ type: 'json_invalid', loc: ['body', pos], msg: 'JSON decode error', input: {}, ctx: { error } }),
      });
    }
  });
});

describe("routes as Starlette's router answers them", () => {
  it('answers a route asked with another method 405 with Allow, HEAD included', async () => {
    const { app } = await server();
    for (const [method, path, allow] of [
      ['GET', '/push', 'POST'],
      ['PUT', '/get-online-features', 'POST'],
      ['OPTIONS', '/get-online-features', 'POST'],
      ['POST', '/health', 'GET'],
      ['HEAD', '/health', 'GET'],
      ['DELETE', '/v1/vector_stores', 'GET'],
    ]) {
      const response = await app.request(path, { method });
      expect([response.status, response.headers.get('allow')], `${method} ${path}`).toEqual([405, allow]);
      if (method !== 'HEAD') expect(await response.text()).toBe('{"detail":"Method Not Allowed"}');
    }
    const unknown = await app.request('/nope', { method: 'POST', headers: JSON_TYPE, body: '{}' });
    expect([unknown.status, await unknown.text()]).toEqual([404, '{"detail":"Not Found"}']);
  });

  it('redirects a path with a trailing slash (307) to the route', async () => {
    const { app } = await server();
    const post = await app.request('http://host:6566/get-online-features/', { method: 'POST', headers: JSON_TYPE, body: '{}' });
    expect([post.status, post.headers.get('location'), await post.text()]).toEqual([307, 'http://host:6566/get-online-features', '']);
    const health = await app.request('http://host:6566/health/');
    expect([health.status, health.headers.get('location')]).toEqual([307, 'http://host:6566/health']);
  });

  it('has no vector store to list or find', async () => {
    const { app } = await server();
    expect(await (await app.request('/v1/vector_stores')).text()).toBe('{"object":"list","data":[]}');
    const one = await app.request('/v1/vector_stores/driver_hourly_stats');
    expect([one.status, await one.text()]).toEqual([
      404,
      `{"error":{"message":"No vector store found with id 'driver_hourly_stats'","type":"not_found_error"}}`,
    ]);
  });
});

describe('the answers a client parses', () => {
  it("writes Feast's error detail as Python's json.dumps does: spaces after separators, non-ASCII escaped", async () => {
    const { app } = await server();
    const { status, text } = await post(app, '/get-online-features', '{"entities": {"driver_id": [1]}, "features": ["客户:x"]}');
    expect(status).toBe(404);
    const inner = JSON.parse(text) as string;
    expect(inner.startsWith(`{"module": "feast.errors", "class": "FeatureViewNotFoundException", "message": "feature view '\\u5ba2\\u6237' `)).toBe(true);
    expect(JSON.parse(inner)).toEqual({ module: 'feast.errors', class: 'FeatureViewNotFoundException', message: expect.stringContaining("'客户'") });
  });

  it('uses the feature service when a request names both (as Feast does), and refuses a request naming no features', async () => {
    const { app } = await server();
    const both = await post(
      app,
      '/get-online-features',
      '{"entities": {"driver_id": [1], "val_to_add": [1]}, "features": ["driver_hourly_stats:label"], "feature_service": "driver_activity"}',
    );
    expect(JSON.parse(both.text).metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'acc_rate', 'avg_daily_trips', 'label', 'conv_rate_plus_val']);
    const none = await app.request('/get-online-features', { method: 'POST', headers: JSON_TYPE, body: '{"entities": {"driver_id": [1]}}' });
    expect([none.status, none.headers.get('x-feast-edge-error')]).toEqual([422, 'RequestValidationError']);
    expect(await none.json()).toMatch(/^features: /);
  });

  it('echoes every entity column that is a join key, converted to its type, and leaves request data and other columns out', async () => {
    const { app } = await server();
    const answer = await post(
      app,
      '/get-online-features',
      '{"entities": {"other": [1], "driver_id": ["1"], "val_to_add": [2]}, "features": ["transformed_conv_rate:conv_rate_plus_val"]}',
    );
    const body = JSON.parse(answer.text) as { results: { values: unknown[] }[]; metadata: { feature_names: string[] } };
    expect(body.metadata.feature_names).toEqual(['driver_id', 'conv_rate_plus_val']);
    expect(body.results[0]).toEqual({ values: [1], statuses: ['PRESENT'], event_timestamps: ['1970-01-01T00:00:00Z'] });
  });
});

describe('POST /materialize?async=true', () => {
  it('answers 202 naming the views at once, 409 for a view still materializing (unless force), and resolves names first', async () => {
    const { store, app } = await server();
    let finish = () => {};
    const calls: unknown[] = [];
    store.materialize = async (options) => {
      calls.push(options);
      await new Promise<void>((resolve) => {
        finish = resolve;
      });
      return [];
    };
    const body = '{"start_ts": "2021-04-12T00:00:00", "end_ts": "2021-04-13T00:00:00"}';
    expect(await post(app, '/materialize?async=true', body)).toEqual({ status: 202, text: '{"status":"accepted","feature_views":["driver_hourly_stats"]}' });
    expect(await post(app, '/materialize?async=1', body)).toEqual({
      status: 409,
      text: `{"error":"Cannot start async materialization — the following feature views are already in MATERIALIZING state: ['driver_hourly_stats']. Use ?force=true to override.","feature_views":["driver_hourly_stats"]}`,
    });
    expect((await post(app, '/materialize?async=true&force=true', body)).status).toBe(202);
    expect(calls).toHaveLength(2);
    finish();
    const unknown = await app.request('/materialize?async=true', {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{"start_ts": "2021-04-12T00:00:00", "end_ts": "2021-04-13T00:00:00", "feature_views": ["nope"]}',
    });
    expect([unknown.status, unknown.headers.get('x-feast-edge-error')]).toEqual([404, 'FeatureViewNotFoundException']);
    expect(await post(app, '/materialize?async=maybe', body)).toEqual({
      status: 422,
      text: detail(entry('bool_parsing', ['query', 'async'], BOOL_PARSING, 'maybe')),
    });
  });
});
