/**
 * A Worker that runs the online store contract on a CloudflareKvOnlineStore over its
 * KV binding, bundled by the test and run in workerd through miniflare.
 *   GET  /contract      -> the contract outcomes as JSON
 *   POST /write?id&x    -> writes driver `id` with feature x (persistence test)
 *   GET  /read?id       -> reads it back: { event, x } (event as a decimal string)
 *   POST /long-key      -> writes driver 1 beside a key too long for KV: { error, event }
 */
import { Int64, String as Str } from '../../../src/definitions/index.js';
import { CloudflareKvOnlineStore, type KvNamespaceBinding } from '../../../src/runtime/cloudflare/cloudflare-kv-online-store.js';
import { encodeEntityKey } from '../../../src/online/entity-key.js';
import { runContractCases } from '../store-contract-cases.js';

const key = (id: string) => encodeEntityKey([{ joinKey: 'driver_id', type: Int64, value: id }]);
const EVENT = 1_618_221_600_000_000n;

export default {
  async fetch(request: Request, env: { KV: KvNamespaceBinding }): Promise<Response> {
    const url = new URL(request.url);
    const store = new CloudflareKvOnlineStore(env.KV);
    const id = url.searchParams.get('id') ?? '0';
    if (url.pathname === '/contract') return Response.json(await runContractCases(store));
    if (url.pathname === '/write' && request.method === 'POST') {
      const result = await store.write('edge', {
        view: 'stats',
        keys: [key(id)],
        eventTimestamps: [EVENT],
        features: { x: [Number(url.searchParams.get('x'))] },
      });
      return Response.json(result);
    }
    if (url.pathname === '/read') {
      const { eventTimestamps, values } = await store.read('edge', 'stats', [key(id)], ['x']);
      const event = eventTimestamps[0];
      return Response.json({ event: event === null ? null : String(event), x: values.x[0] });
    }
    if (url.pathname === '/long-key' && request.method === 'POST') {
      const long = encodeEntityKey([{ joinKey: 'driver_id', type: Str, value: 'x'.repeat(300) }]);
      let error: string | null = null;
      try {
        await store.write('edge', { view: 'long', keys: [key('1'), long], eventTimestamps: [EVENT, EVENT], features: { x: [1, 2] } });
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const { eventTimestamps } = await store.read('edge', 'long', [key('1')], ['x']);
      return Response.json({ error, event: eventTimestamps[0] === null ? null : String(eventTimestamps[0]) });
    }
    return new Response('not found', { status: 404 });
  },
};
