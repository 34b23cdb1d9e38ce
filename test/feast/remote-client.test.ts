/**
 * Feast's Python SDK with `online_store: {type: remote}` pointed at feast-edge's server,
 * as recorded by test/fixtures/feast/remote-client/record.sh (the SDK's requests, the
 * answers, and what the SDK made of them), and the same SDK calls recorded against
 * Feast's own server. Replayed here against feast-edge's server over the same repo:
 * feast-edge still answers what the SDK accepted, Feast's server answered the same
 * requests alike, and the SDK returned or raised the same as with Feast's server, except
 * where feast-edge answers differently on purpose (SDK_DIFFERENCES).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeatureServer } from '../../src/server/feature-server.js';
import { openFeastRepoStore, type FeastRepoStore } from './feast-repo-store.js';
import { fixturePath } from './online-fixtures.js';
import { ask, expectSame, feastErrorOf, type Replay, type WireCase } from './wire-compare.js';

interface SdkCall {
  readonly name: string;
  readonly call: string;
  readonly result?: unknown;
  readonly error?: { readonly module: string; readonly class: string; readonly message: string };
  readonly exchanges: readonly (WireCase & { readonly name?: string })[];
}

const recording = (server: string): SdkCall[] =>
  (JSON.parse(readFileSync(fixturePath('rich', `../remote-client/sdk-against-${server}.json`), 'utf8')) as { calls: SdkCall[] }).calls;
const edgeCalls = recording('feast-edge');
const feastCalls = recording('feast');

/** SDK calls that end differently against feast-edge, and why (README: "Where feast-edge answers differently"). */
const SDK_DIFFERENCES: Record<string, string> = {
  unknown_feature:
    "feast-edge answers an unknown feature 404, so the SDK raises RuntimeError at once; Feast's server answers 500, which the SDK retries (connection_retries) and ends in requests' RetryError",
  write_composite_ts_column:
    "the SDK names the timestamp column event_timestamp whatever the view's source calls it (here ts); feast-edge reads it as the view's timestamp, Feast's server fails (500, retried: RetryError)",
  read_after_composite_write: 'the row written just before is there on feast-edge, not on Feast (its write failed)',
  push_online:
    "fails on both: the SDK sends a stream view's join key twice (Feast lists it among the view's features too), a 422 InvalidEntityRowsError on feast-edge (RuntimeError), a 500 on Feast's server (RetryError)",
};

describe("Feast's Python SDK (online_store: remote) against feast-edge's feature server, recorded", () => {
  let opened: FeastRepoStore;
  let replay: Replay;
  beforeAll(async () => {
    opened = await openFeastRepoStore('rich');
    replay = { app: createFeatureServer(opened.store, { onServerError: () => {} }), document: () => opened.store.registry.document(), cases: [] };
  }, 60_000);
  afterAll(async () => opened?.close());

  for (const call of edgeCalls) {
    const theirs = feastCalls.find((c) => c.name === call.name)!;
    const outcome = call.error ? `raises ${call.error.class}` : 'returns its result';
    it(`${call.name}: ${call.call} ${outcome}${SDK_DIFFERENCES[call.name] ? ` (differs on purpose: ${SDK_DIFFERENCES[call.name]})` : ', as with Feast'}`, async () => {
      for (const [i, exchange] of call.exchanges.entries()) {
        const answer = await ask(replay, exchange);
        // What the SDK accepted (or refused) when this was recorded, still answered.
        expect({ status: answer.status, body: answer.text }).toEqual({ status: exchange.status, body: exchange.response_body });
        // Feast's server, asked the same, answered alike.
        const feast = theirs.exchanges[i];
        if (feast && !SDK_DIFFERENCES[call.name] && feast.request_body === exchange.request_body)
          await expectSame(answer, { ...feast, name: call.name }, replay);
      }
      if (call.error?.module === 'feast.errors') {
        // The SDK raised Feast's class from the body's error detail.
        expect(feastErrorOf(call.exchanges.at(-1)!.response_body!)?.class).toBe(call.error.class);
      }
      const same = (c: SdkCall) => (c.error ? { error: c.error.class } : { result: c.result });
      if (SDK_DIFFERENCES[call.name]) expect(same(call)).not.toEqual(same(theirs));
      else expect(same(call)).toEqual(same(theirs));
    });
  }
});

describe("writes in the shape Feast's remote client sends them", () => {
  const post = async (opened: FeastRepoStore, path: string, body: unknown) => {
    const app = createFeatureServer(opened.store, { onServerError: () => {} });
    const response = await app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, json: (await response.json()) as unknown };
  };
  // As the SDK writes a row: naive UTC times, `created` null where the source has none.
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  const naive = now.toISOString().slice(0, 19);

  it('takes Map and Struct values as JSON text (the SDK serializes them so)', async () => {
    const opened = await openFeastRepoStore('quickstart');
    try {
      const df = {
        driver_id: [1001],
        conv_rate: [0.5],
        acc_rate: [0.25],
        avg_daily_trips: [3],
        driver_metadata: ['{"vehicle_type": "bike", "rating": "5.0"}'],
        driver_config: ['{"max_distance_km": 3}'],
        driver_profile: ['{"name": "n", "age": "30"}'],
        event_timestamp: [naive],
        created: [naive],
      };
      expect(await post(opened, '/write-to-online-store', { feature_view_name: 'driver_hourly_stats', df, allow_registry_cache: false })).toEqual({
        status: 200,
        json: null,
      });
      const read = await post(opened, '/get-online-features', {
        entities: { driver_id: [1001] },
        features: ['driver_hourly_stats:driver_metadata', 'driver_hourly_stats:driver_config', 'driver_hourly_stats:driver_profile'],
      });
      expect((read.json as { results: { values: unknown[] }[] }).results.slice(1).map((r) => r.values[0])).toEqual([
        { vehicle_type: 'bike', rating: '5.0' },
        '{"max_distance_km": 3}',
        { name: 'n', age: '30' },
      ]);
    } finally {
      await opened.close();
    }
  });

  it('takes a write to a stream view as events for its windows, online only (Feast keeps the raw rows)', async () => {
    const opened = await openFeastRepoStore('rich');
    try {
      const df = { driver_id: [1001], trip_km: [3.5], trip_fare: [12.5], event_timestamp: [naive], created: [null] };
      expect(await post(opened, '/write-to-online-store', { feature_view_name: 'driver_trips_stream', df, allow_registry_cache: false })).toEqual({
        status: 200,
        json: null,
      });
      const read = await post(opened, '/get-online-features', {
        entities: { driver_id: [1001] },
        features: ['driver_trips_stream:sum_trip_fare_3600s', 'driver_trips_stream:max_km_2h'],
      });
      expect((read.json as { results: { values: unknown[] }[] }).results.slice(1).map((r) => r.values[0])).toEqual([12.5, 3.5]);
    } finally {
      await opened.close();
    }
  });
});
