import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareKvBulkStore, sendBulk } from '../../src/runtime/node/cloudflare-kv-bulk-store.js';
import { openEdgeKvStore } from '../../src/runtime/node/kv-online-stores.js';
import { parseRepoConfig } from '../../src/runtime/node/repo-config.js';

const config = (online: Record<string, unknown>) => parseRepoConfig({ project: 'p', online_store: online }, '/repo');
const refusal = (online: Record<string, unknown>) => {
  try {
    config(online);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('feature_store.yaml online_store types cloudflare_kv and deno_kv', () => {
  it('refuses a bad key with one line naming the field', () => {
    expect(refusal({ type: 'cloudflare_kv', account_id: 'abc' })).toBe(
      'feature_store.yaml: online_store.namespace_id: expected the KV namespace id to write to, as account_id is set, got null',
    );
    expect(refusal({ type: 'cloudflare_kv', namespace_id: 'abc' })).toMatch(
      /^feature_store\.yaml: online_store\.account_id: expected the Cloudflare account id/,
    );
    expect(refusal({ type: 'cloudflare_kv', api_base_url: 'ftp://x' })).toMatch(/^feature_store\.yaml: online_store\.api_base_url: expected an http\(s\) URL/);
    expect(refusal({ type: 'cloudflare_kv', api_token_env: 'not a name' })).toMatch(/^feature_store\.yaml: online_store\.api_token_env: /);
    expect(refusal({ type: 'cloudflare_kv', bulk_fil: 'x' })).toMatch(
      /^feature_store\.yaml: unknown key 'online_store\.bulk_fil'; known keys: type, bulk_file,/,
    );
    expect(refusal({ type: 'deno_kv', path: 3 })).toBe('feature_store.yaml: online_store.path: expected a file path, got 3');
    expect(refusal({ type: 'deno_kv', kv: 'x' })).toBe("feature_store.yaml: unknown key 'online_store.kv'; known keys: type, path, deno_path");
  });

  it('fills defaults and resolves paths against the repo', () => {
    expect(config({ type: 'deno_kv' }).onlineStore).toEqual({ type: 'deno_kv', path: '/repo/data/online.kv' });
    expect(config({ type: 'cloudflare_kv' }).onlineStore).toMatchObject({
      type: 'cloudflare_kv',
      bulk_file: 'data/cloudflare_kv_bulk.json',
      api_token_env: 'CLOUDFLARE_API_TOKEN',
    });
  });

  it('with account and namespace ids but no token in the environment, refuses to open, naming the variable', () => {
    const c = config({ type: 'cloudflare_kv', account_id: 'a', namespace_id: 'n', api_token_env: 'MY_CF_TOKEN' });
    expect(() => openEdgeKvStore(c, {})).toThrow(/online_store\.api_token_env: .* read from \$MY_CF_TOKEN, which is not set/);
    expect(openEdgeKvStore(c, { MY_CF_TOKEN: 't' })?.name).toBe('cloudflare-kv-bulk');
  });
});

describe('Cloudflare KV from Node', () => {
  let server: Server;
  let base: string;
  const received: { pairs: number; auth: string | undefined }[] = [];
  let answer: (pairs: unknown[]) => { status: number; body: unknown } = () => ({
    status: 200,
    body: { success: true, errors: [], result: { unsuccessful_keys: [] } },
  });
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'feast-edge-kv-bulk-'));
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const pairs = JSON.parse(body) as unknown[];
        received.push({ pairs: pairs.length, auth: req.headers.authorization });
        const { status, body: out } = answer(pairs);
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(out));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends 25,000 pairs as 10,000 + 10,000 + 5,000 (the bulk endpoint takes at most 10,000)', async () => {
    received.length = 0;
    const pairs = Array.from({ length: 25_000 }, (_, i) => ({ key: `k${i}`, value: `v${i}` }));
    await sendBulk({ baseUrl: base, accountId: 'a', namespaceId: 'n', apiToken: 'tok' }, pairs);
    expect(received).toEqual([
      { pairs: 10_000, auth: 'Bearer tok' },
      { pairs: 10_000, auth: 'Bearer tok' },
      { pairs: 5_000, auth: 'Bearer tok' },
    ]);
  });

  it("fails naming Cloudflare's error, and keys it did not write, never the token", async () => {
    const rest = { baseUrl: base, accountId: 'a', namespaceId: 'n', apiToken: 'secret-token' };
    answer = () => ({ status: 403, body: { success: false, errors: [{ code: 10000, message: 'Authentication error' }] } });
    const denied = sendBulk(rest, [{ key: 'k', value: 'v' }]);
    await expect(denied).rejects.toMatchObject({
      name: 'OnlineStoreConnectionError',
      message: expect.stringMatching(/PUT .*\/accounts\/a\/storage\/kv\/namespaces\/n\/bulk: 403 Authentication error$/),
    });
    await expect(denied).rejects.not.toMatchObject({ message: expect.stringContaining('secret-token') });
    answer = () => ({ status: 200, body: { success: true, errors: [], result: { successful_key_count: 0, unsuccessful_keys: ['k'] } } });
    await expect(sendBulk(rest, [{ key: 'k', value: 'v' }])).rejects.toThrow(/1 keys not written, first k/);
    answer = () => ({ status: 200, body: { success: true, errors: [], result: { unsuccessful_keys: [] } } });
  });

  it('keeps the bulk file as its state: a later run adds to it, and an older event does not replace a newer one', async () => {
    const file = join(dir, 'bulk.json');
    // The store takes entity keys as bytes; any bytes do here. The KV key is project/view/hex(bytes).
    const key = new Uint8Array([1, 2, 0xab]);
    const batch = (event: bigint, rate: number) => ({ view: 'stats', keys: [key], eventTimestamps: [event], features: { conv_rate: [rate] } });
    const first = new CloudflareKvBulkStore({ bulkFile: file });
    expect(await first.write('p', batch(2_000_000n, 0.5))).toEqual({ written: 1, skipped: 0 });
    expect(existsSync(file)).toBe(false);
    await first.close();
    const pairs = JSON.parse(readFileSync(file, 'utf8')) as { key: string; value: string }[];
    expect(pairs.map((p) => p.key)).toEqual(['p/stats/0102ab']);

    const second = new CloudflareKvBulkStore({ bulkFile: file });
    expect(await second.write('p', batch(1_000_000n, 0.9))).toEqual({ written: 0, skipped: 1 });
    expect(await second.read('p', 'stats', [key], ['conv_rate'])).toEqual({ eventTimestamps: [2_000_000n], values: { conv_rate: [0.5] } });
    expect(await second.write('p', batch(3_000_000n, 0.7))).toEqual({ written: 1, skipped: 0 });
    await second.close();
    const third = new CloudflareKvBulkStore({ bulkFile: file });
    expect(await third.read('p', 'stats', [key], ['conv_rate'])).toEqual({ eventTimestamps: [3_000_000n], values: { conv_rate: [0.7] } });
  });
});
