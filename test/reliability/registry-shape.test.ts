/**
 * Issue 14, finding 11 (the registry part): a hand-edited registry of the wrong shape
 * (valid JSON, wrong structure) gave a bare 500 while /health said healthy. Each request
 * must answer a JSON 503 naming what is wrong, /health must answer 503 while the file is
 * wrong and 200 once it is mended (no restart), and /health, which needs no token, must
 * not show the registry's path or any of its content.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryOnlineStore } from '../../src/online/memory-online-store.js';
import { FileRegistryStore } from '../../src/runtime/node/file-registry-store.js';
import { startFeatureServer, type RunningFeatureServer } from '../../src/runtime/node/serve.js';
import { createFeatureStore, type FeatureStore } from '../../src/store/feature-store.js';
import { FIXTURE_PROJECT, fixtureObjects } from '../server/fixture-definitions.js';

type Doc = Record<string, any>;
/** Hand edits that keep the file valid JSON but break its structure, and a word the error must name. */
const EDITS: [string, (doc: Doc) => unknown, RegExp][] = [
  ['featureViews is a list', (doc) => ({ ...doc, featureViews: [] }), /featureViews/],
  [
    "a view's features are a string",
    (doc) => {
      doc.featureViews.driver_hourly_stats.spec.features = 'conv_rate';
      return doc;
    },
    /features/,
  ],
  [
    'a view without its spec',
    (doc) => {
      delete doc.featureViews.driver_hourly_stats.spec;
      return doc;
    },
    /spec/,
  ],
  ['entities is a number', (doc) => ({ ...doc, entities: 5 }), /entities/],
];
const READ = { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } };

let dir: string;
let file: string;
let store: FeatureStore;
let server: RunningFeatureServer;
const reported: unknown[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feast-edge-registry-shape-'));
  file = join(dir, 'registry.json');
  store = createFeatureStore({ project: FIXTURE_PROJECT, registry: new FileRegistryStore(file), onlineStore: new MemoryOnlineStore() });
  await store.apply(fixtureObjects);
  server = await startFeatureServer(store, {
    port: 0,
    registryTtlSeconds: 0,
    auth: { readToken: 'read-token', writeToken: 'write-token' },
    onServerError: (error) => reported.push(error),
  });
});
afterAll(async () => {
  await server?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const getOnline = () =>
  fetch(`${server.url}/get-online-features`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer read-token' },
    body: JSON.stringify(READ),
  });

describe('a registry of the wrong shape (issue 14, finding 11)', () => {
  it('answers each request with a JSON 503 naming what is wrong, /health 503 without the path or content, and 200 again once mended', async () => {
    const good = await readFile(file, 'utf8');
    expect((await getOnline()).status).toBe(200);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    for (const [what, edit, named] of EDITS) {
      await writeFile(file, JSON.stringify(edit(JSON.parse(good))));
      const response = await getOnline();
      const text = await response.text();
      expect(response.status, `${what}: ${text}`).toBe(503);
      expect(response.headers.get('content-type'), what).toMatch(/^application\/json/);
      expect(response.headers.get('x-feast-edge-error'), what).toBe('RegistryStoreError');
      const message = JSON.parse(text) as string;
      expect(message, what).toMatch(/registry/);
      expect(message, what).toMatch(named);

      const health = await fetch(`${server.url}/health`);
      const healthText = await health.text();
      expect(health.status, what).toBe(503);
      expect(health.headers.get('content-type'), what).toMatch(/^application\/json/);
      // Unauthenticated: no path, no file name, nothing of the file's content.
      for (const secret of [dir, 'registry.json', 'driver_hourly_stats', 'conv_rate', FIXTURE_PROJECT]) expect(healthText, what).not.toContain(secret);
      expect(JSON.parse(healthText), what).toMatchObject({ status: 'unhealthy', registry: expect.stringMatching(/RegistryStoreError/) });
    }
    await writeFile(file, good);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await getOnline()).status).toBe(200);
  });
});
