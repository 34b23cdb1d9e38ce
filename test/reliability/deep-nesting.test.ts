/**
 * Issue 14, finding 4: a 10 KB body holding a 5,000-deep array as an entity value
 * overflowed the stack while the 422 message was built, and answered 500. Every route
 * that reads a body must refuse it with a JSON 422, in the Node server (over LMDB) and
 * in the edge app (which shares the feature server's request parsing), and nothing
 * stored may change.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { LmdbOnlineStore } from '../../src/runtime/node/lmdb/lmdb-online-store.js';
import { startFeatureServer, type RunningFeatureServer } from '../../src/runtime/node/serve.js';
import { createEdgeApp } from '../../src/server/edge-app.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import * as fixtureRepo from '../server/fixture-definitions.js';
import { FIXTURE_PROJECT, fixtureObjects } from '../server/fixture-definitions.js';

const DEEP = `${'['.repeat(5000)}${']'.repeat(5000)}`;
const AT = '"2021-04-12T10:00:00Z"';
const push = (column: string) =>
  `{"push_source_name":"driver_stats_push_source","to":"online","df":{"driver_id":[${column === 'driver_id' ? DEEP : 1}],"event_timestamp":[${AT}],"conv_rate":[${column === 'conv_rate' ? DEEP : 0.5}],"acc_rate":[0.5],"avg_daily_trips":[3],"label":["a"]}}`;
const write = (column: string) =>
  `{"feature_view_name":"driver_hourly_stats","df":{"driver_id":[${column === 'driver_id' ? DEEP : 1}],"event_timestamp":[${column === 'event_timestamp' ? DEEP : AT}],"conv_rate":[0.5],"acc_rate":[0.5],"avg_daily_trips":[3],"label":["a"]}}`;

/** Route and body: the deep array as an entity value, a feature value, a timestamp and a name. */
const ATTEMPTS: [string, string][] = [
  ['/get-online-features', `{"features":["driver_hourly_stats:conv_rate"],"entities":{"driver_id":[${DEEP}]}}`],
  ['/get-online-features', `{"features":["driver_hourly_stats:conv_rate"],"entities":{"driver_id":[1,${DEEP}]}}`],
  ['/get-online-features', `{"feature_service":"driver_activity","entities":{"driver_id":[1],"val_to_add":[${DEEP}]}}`],
  ['/push', push('driver_id')],
  ['/push', push('conv_rate')],
  ['/write-to-online-store', write('driver_id')],
  ['/write-to-online-store', write('event_timestamp')],
  ['/materialize', `{"feature_views":[${DEEP}],"start_ts":${AT},"end_ts":${AT}}`],
  ['/materialize-incremental', `{"feature_views":[${DEEP}],"end_ts":${AT}}`],
  // Deep under an object's keys too.
  ['/get-online-features', `{"features":["driver_hourly_stats:conv_rate"],"entities":{"driver_id":[${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}]}}`],
];
const STORED = `{"feature_view_name":"driver_hourly_stats","df":{"driver_id":[1],"event_timestamp":[${AT}],"conv_rate":[0.25],"acc_rate":[0.75],"avg_daily_trips":[7],"label":["kept"]}}`;
const READ = '{"features":["driver_hourly_stats:conv_rate","driver_hourly_stats:label"],"entities":{"driver_id":[1]}}';

type Fetch = (path: string, body: string) => Promise<Response>;
const post = (request: (path: string, init: RequestInit) => Response | Promise<Response>): Fetch => {
  return async (path, body) => request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
};

async function expectEveryDeepBodyRefused(send: Fetch): Promise<void> {
  expect((await send('/write-to-online-store', STORED)).status).toBe(200);
  const before = await (await send('/get-online-features', READ)).json();
  for (const [path, body] of ATTEMPTS) {
    expect(body.length).toBeLessThan(20_000);
    const response = await send(path, body);
    const text = await response.text();
    const shown = `${path} ${body.slice(0, 80)} -> ${response.status} ${text.slice(0, 200)}`;
    expect(response.status, shown).toBe(422);
    expect(response.headers.get('content-type'), shown).toMatch(/^application\/json/);
    expect(text, shown).toMatch(/nested deeper than \d+ levels/);
  }
  expect(await (await send('/get-online-features', READ)).json()).toEqual(before);
}

describe('a 5,000-deep array in a body answers 422, not 500 (issue 14, finding 4)', () => {
  let dir: string;
  let store: FeatureStore;
  let server: RunningFeatureServer;
  const errors: unknown[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'feast-edge-deep-'));
    store = createFeatureStore({ project: FIXTURE_PROJECT, registry: new MemoryRegistryStore(), onlineStore: new LmdbOnlineStore(join(dir, 'online.lmdb')) });
    await store.apply(fixtureObjects);
    server = await startFeatureServer(store, { port: 0, onServerError: (error) => errors.push(error) });
  });
  afterAll(async () => {
    await server?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('on every route of the Node server, with nothing stored changed and no server error', async () => {
    await expectEveryDeepBodyRefused(post((path, init) => fetch(`${server.url}${path}`, init)));
    expect(errors).toEqual([]);
  });

  it('on every route of the edge app (the same request parsing)', async () => {
    const app: Hono = await createEdgeApp(fixtureRepo as unknown as Record<string, unknown>, new MemoryOnlineStore(), { FEAST_PROJECT: FIXTURE_PROJECT });
    await expectEveryDeepBodyRefused(post((path, init) => app.request(path, init)));
  });

  it('still takes ordinary nesting (a list value, 2 levels) and a body 60 levels deep', async () => {
    const send = post((path, init) => fetch(`${server.url}${path}`, init));
    const nested = `${'['.repeat(60)}1${']'.repeat(60)}`;
    const response = await send('/get-online-features', `{"features":["driver_hourly_stats:conv_rate"],"entities":{"driver_id":[1]},"extra":${nested}}`);
    expect(response.status).toBe(200);
  });
});
