import { describe, expect, it } from 'vitest';
import { MemoryRegistryStore } from '../../src/registry/memory-store.js';
import { createFeatureServer, type FeatureServerOptions } from '../../src/server/feature-server.js';
import { createFeatureStore } from '../../src/store/feature-store.js';
import { FIXTURE_PROJECT, fixtureObjects } from './fixture-definitions.js';

async function server(options: FeatureServerOptions) {
  const store = createFeatureStore({ project: FIXTURE_PROJECT, registry: new MemoryRegistryStore(), definitions: fixtureObjects });
  await store.apply(fixtureObjects);
  return createFeatureServer(store, options);
}

const JSON_TYPE = { 'content-type': 'application/json' };
const READ_BODY = JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1] } });
const WRITE_BODY = JSON.stringify({
  feature_view_name: 'driver_hourly_stats',
  df: { driver_id: [1], event_timestamp: ['2021-01-01T00:00:00Z'], conv_rate: [1], acc_rate: [1], avg_daily_trips: [1], label: ['x'] },
});
const read = (authorization?: string) =>
  new Request('http://server/get-online-features', {
    method: 'POST',
    body: READ_BODY,
    headers: authorization === undefined ? JSON_TYPE : { Authorization: authorization, ...JSON_TYPE },
  });
const write = (authorization?: string) =>
  new Request('http://server/write-to-online-store', {
    method: 'POST',
    body: WRITE_BODY,
    headers: authorization === undefined ? JSON_TYPE : { Authorization: authorization, ...JSON_TYPE },
  });
const answer = async (response: Response) => ({
  status: response.status,
  type: response.headers.get('x-feast-edge-error'),
  body: (await response.json()) as unknown,
});

// As Feast's server answers them: FastAPI's 401, and FeastPermissionError's error detail (a JSON string) for a 403.
const UNAUTHENTICATED = { status: 401, type: 'AuthenticationError', body: { detail: 'Missing authentication token' } };
const denied = (message: string) => ({
  status: 403,
  type: 'PermissionDeniedError',
  body: `{"module": "feast.errors", "class": "FeastPermissionError", "message": "${message}"}`,
});
const deniedReads = denied('POST /get-online-features: the token does not allow reads');
const deniedWrites = denied('POST /write-to-online-store: the token does not allow writes');

describe('bearer tokens (Hono bearerAuth): the read token reads, the write token writes and reads', () => {
  it('answers 401 without a Bearer token and 403 with a token that does not allow the route', async () => {
    const app = await server({ auth: { readToken: 'r-secret', writeToken: 'w-secret' } });
    expect(await answer(await app.fetch(read()))).toEqual(UNAUTHENTICATED);
    expect(await answer(await app.fetch(read('Basic r-secret')))).toEqual(UNAUTHENTICATED);
    expect(await answer(await app.fetch(read('Bearer')))).toEqual(UNAUTHENTICATED);
    expect(await answer(await app.fetch(write()))).toEqual(UNAUTHENTICATED);
    expect(await answer(await app.fetch(read('Bearer wrong')))).toEqual(deniedReads);
    expect(await answer(await app.fetch(write('Bearer r-secret')))).toEqual(deniedWrites);
    expect(await answer(await app.fetch(write('Bearer w-secret-and-more')))).toEqual(deniedWrites);
  });

  it('lets the read token read and the write token read and write', async () => {
    const app = await server({ auth: { readToken: 'r-secret', writeToken: 'w-secret' } });
    expect((await app.fetch(read('Bearer r-secret'))).status).toBe(200);
    expect((await app.fetch(read('Bearer w-secret'))).status).toBe(200);
    expect((await app.fetch(write('Bearer w-secret'))).status).toBe(200);
    // The scheme's name is case-insensitive (RFC 7235).
    expect((await app.fetch(read('bearer r-secret'))).status).toBe(200);
    expect((await app.fetch(new Request('http://server/registry', { headers: { Authorization: 'Bearer r-secret' } }))).status).toBe(200);
    expect((await app.fetch(new Request('http://server/metrics'))).status).toBe(401);
  });

  it('asks no token for /health or a CORS preflight', async () => {
    const app = await server({ auth: { readToken: 'r-secret' }, corsOrigins: ['https://app.example'] });
    expect((await app.fetch(new Request('http://server/health'))).status).toBe(200);
    const preflight = await app.fetch(
      new Request('http://server/get-online-features', {
        method: 'OPTIONS',
        headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'POST' },
      }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example');
  });

  it('with a read token only, allows no writes; with a write token only, reads stay open', async () => {
    const readOnly = await server({ auth: { readToken: 'r-secret' } });
    expect((await readOnly.fetch(read('Bearer r-secret'))).status).toBe(200);
    expect(await answer(await readOnly.fetch(write('Bearer r-secret')))).toEqual(deniedWrites);
    expect(await answer(await readOnly.fetch(write()))).toEqual(UNAUTHENTICATED);
    const writeOnly = await server({ auth: { writeToken: 'w-secret' } });
    expect((await writeOnly.fetch(read('Bearer w-secret'))).status).toBe(200);
    expect((await writeOnly.fetch(read())).status).toBe(200);
    expect((await writeOnly.fetch(read('Bearer r-secret'))).status).toBe(200);
    expect(await answer(await writeOnly.fetch(write()))).toEqual(UNAUTHENTICATED);
    expect((await writeOnly.fetch(write('Bearer w-secret'))).status).toBe(200);
  });

  it('refuses at start a token a Bearer header cannot carry, without showing it', async () => {
    await expect(server({ auth: { readToken: 'two words' } })).rejects.toMatchObject({
      name: 'ConfigurationError',
      message:
        "auth.readToken: expected a token of letters, digits and '-._~+/' (then any '='), as a Bearer header carries it (RFC 6750); the token given has other characters",
    });
    expect((await server({ auth: { writeToken: 'abc-DEF_1.2~3+4/5==' } })).fetch).toBeTypeOf('function');
  });
});

describe('the body limit (Hono bodyLimit)', () => {
  const TOO_LARGE = { status: 413, type: 'RequestEntityTooLarge', body: 'body: expected at most 200 bytes' };
  const bigRead = JSON.stringify({ features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: Array.from({ length: 100 }, (_, i) => i) } });
  /** A body sent in chunks, with no Content-Length. */
  const chunked = (text: string) => {
    const bytes = new TextEncoder().encode(text);
    let offset = 0;
    return new Request('http://server/get-online-features', {
      method: 'POST',
      headers: JSON_TYPE,
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= bytes.length) controller.close();
          else controller.enqueue(bytes.subarray(offset, (offset += 16)));
        },
      }),
      duplex: 'half',
    } as RequestInit);
  };

  it('answers 413 for a declared Content-Length over the limit', async () => {
    const app = await server({ maxBodyBytes: 200 });
    const request = new Request('http://server/get-online-features', {
      method: 'POST',
      body: bigRead,
      headers: { 'Content-Length': String(bigRead.length), ...JSON_TYPE },
    });
    expect(await answer(await app.fetch(request))).toEqual(TOO_LARGE);
  });

  it('answers 413 for a chunked body over the limit, and reads one under it', async () => {
    const app = await server({ maxBodyBytes: 200 });
    const over = chunked(bigRead);
    expect(over.headers.get('content-length')).toBeNull();
    expect(await answer(await app.fetch(over))).toEqual(TOO_LARGE);
    expect((await app.fetch(chunked(READ_BODY))).status).toBe(200);
  });
});
