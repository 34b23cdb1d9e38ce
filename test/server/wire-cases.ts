/**
 * Feast feature-server request/response pairs in Feast's wire (as real Feast 0.66 answers,
 * test/fixtures/feast/<repo>/wire.jsonl: `{"results": ..., "metadata": ...}`, join keys
 * first and request data not echoed, status names, RFC 3339 timestamps with Z, int64 as
 * JSON numbers, empty bodies for /health and /push, Feast's error bodies), as plain data
 * run in order against any deployment: in-process, Node over HTTP, workerd, Deno, a
 * Service Worker. No test-runner import. feast-edge's own additions are marked where
 * they appear (NULL_VALUE for a stored null; 4xx where Feast answers 500).
 */
import { runCases, type ContractOutcome } from '../support/contract-cases.js';

export interface WireCase {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
  /** The whole JSON answer, key order included. */
  readonly expect?: unknown;
  /** No body and no content type (Feast's /health and /push). */
  readonly expectEmpty?: boolean;
  /** feast-edge's error class (the X-Feast-Edge-Error header). */
  readonly expectType?: string;
  /** The Feast class in Feast's error detail (a JSON string holding {module, class, message}); absent: the body is the message as a JSON string. */
  readonly expectFeastClass?: string;
  /** The error message (inside the detail for a Feast class). */
  readonly expectMessage?: RegExp;
}

export type WireOutcome = ContractOutcome;

const EPOCH = '1970-01-01T00:00:00Z';

export const wireCases: readonly WireCase[] = [
  {
    name: 'health answers 200 with no body',
    method: 'GET',
    path: '/health',
    status: 200,
    expectEmpty: true,
  },
  {
    name: 'write-to-online-store takes columns and answers null',
    method: 'POST',
    path: '/write-to-online-store',
    status: 200,
    expect: null,
    body: {
      feature_view_name: 'driver_hourly_stats',
      df: {
        driver_id: [1001, 1002],
        event_timestamp: ['2021-04-12T10:00:00Z', '2021-04-12 08:00:00+00:00'],
        conv_rate: [0.53, 0.25],
        acc_rate: [0.9, null],
        avg_daily_trips: [12, 30],
        label: ['fast', 'slow'],
      },
    },
  },
  {
    name: 'get-online-features: results then metadata, join keys first, column-major values, statuses and timestamps',
    method: 'POST',
    path: '/get-online-features',
    status: 200,
    body: { features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate'], entities: { driver_id: [1001, 1002, 1003] } },
    expect: {
      results: [
        { values: [1001, 1002, 1003], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH, EPOCH] },
        {
          values: [0.53, 0.25, null],
          statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'],
          event_timestamps: ['2021-04-12T10:00:00Z', '2021-04-12T08:00:00Z', EPOCH],
        },
        {
          values: [0.9, null, null],
          // NULL_VALUE: feast-edge's status for a stored null (Feast says PRESENT).
          statuses: ['PRESENT', 'NULL_VALUE', 'NOT_FOUND'],
          event_timestamps: ['2021-04-12T10:00:00Z', '2021-04-12T08:00:00Z', EPOCH],
        },
      ],
      metadata: { feature_names: ['driver_id', 'conv_rate', 'acc_rate'] },
    },
  },
  {
    name: 'get-online-features with full_feature_names, an int64 feature, and a join key given as a string',
    method: 'POST',
    path: '/get-online-features',
    status: 200,
    body: { features: ['driver_hourly_stats:avg_daily_trips'], entities: { driver_id: ['1002'] }, full_feature_names: true },
    expect: {
      results: [
        { values: [1002], statuses: ['PRESENT'], event_timestamps: [EPOCH] },
        { values: [30], statuses: ['PRESENT'], event_timestamps: ['2021-04-12T08:00:00Z'] },
      ],
      metadata: { feature_names: ['driver_id', 'driver_hourly_stats__avg_daily_trips'] },
    },
  },
  {
    name: 'push to online answers 200 with no body; an older push does not replace a newer value',
    method: 'POST',
    path: '/push',
    status: 200,
    expectEmpty: true,
    body: {
      push_source_name: 'driver_stats_push_source',
      to: 'online',
      df: {
        driver_id: [1001, 1002],
        event_timestamp: ['2021-04-12T11:00:00Z', '2021-04-12T07:00:00Z'],
        conv_rate: [0.6, 0.01],
        acc_rate: [0.91, 0.01],
        avg_daily_trips: [13, 1],
        label: ['faster', 'older'],
      },
    },
  },
  {
    name: 'a feature service with request data: on-demand values computed at read time, request data not echoed',
    method: 'POST',
    path: '/get-online-features',
    status: 200,
    body: { feature_service: 'driver_activity', entities: { driver_id: [1001, 1002], val_to_add: [1, 2] } },
    expect: {
      results: [
        { values: [1001, 1002], statuses: ['PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH] },
        { values: [0.6, 0.25], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
        { values: [0.91, null], statuses: ['PRESENT', 'NULL_VALUE'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
        { values: [13, 30], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
        { values: ['faster', 'slow'], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
        { values: [1.6, 2.25], statuses: ['PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH] },
      ],
      metadata: { feature_names: ['driver_id', 'conv_rate', 'acc_rate', 'avg_daily_trips', 'label', 'conv_rate_plus_val'] },
    },
  },
  {
    name: "an unknown feature view is a 404 in Feast's error detail: FeatureViewNotFoundException naming it",
    method: 'POST',
    path: '/get-online-features',
    status: 404,
    body: { features: ['driver_daily_stats:conv_rate'], entities: { driver_id: [1001] } },
    expectType: 'FeatureViewNotFoundException',
    expectFeastClass: 'FeatureViewNotFoundException',
    expectMessage: /driver_daily_stats/,
  },
  {
    name: 'an unknown feature is a 404 naming it (Feast: 500)',
    method: 'POST',
    path: '/get-online-features',
    status: 404,
    body: { features: ['driver_hourly_stats:speed'], entities: { driver_id: [1001] } },
    expectType: 'FeatureNotFoundException',
    expectMessage: /speed/,
  },
  {
    name: 'a missing join key is a 422 naming it (Feast: 500)',
    method: 'POST',
    path: '/get-online-features',
    status: 422,
    body: { features: ['driver_hourly_stats:conv_rate'], entities: { customer_id: [1] } },
    expectType: 'MissingJoinKeyError',
    expectMessage: /driver_id/,
  },
  {
    name: 'missing request data for an on-demand view is a 404 RequestDataNotFoundInEntityRowsException naming the field',
    method: 'POST',
    path: '/get-online-features',
    status: 404,
    body: { features: ['transformed_conv_rate:conv_rate_plus_val'], entities: { driver_id: [1001] } },
    expectType: 'RequestDataNotFoundInEntityRowsException',
    expectFeastClass: 'RequestDataNotFoundInEntityRowsException',
    expectMessage: /val_to_add/,
  },
  {
    name: 'request data of the wrong type is a 422 naming the field and row',
    method: 'POST',
    path: '/get-online-features',
    status: 422,
    body: { features: ['transformed_conv_rate:conv_rate_plus_val'], entities: { driver_id: [1001, 1002], val_to_add: [1, 'x'] } },
    expectType: 'InvalidRequestDataError',
    expectMessage: /val_to_add\[1\]: expected an integer/,
  },
  {
    name: "a body of the wrong shape is FastAPI's 422 detail",
    method: 'POST',
    path: '/get-online-features',
    status: 422,
    body: { features: 'driver_hourly_stats:conv_rate', entities: { driver_id: [1001] } },
    expect: { detail: [{ type: 'list_type', loc: ['body', 'features'], msg: 'Input should be a valid list', input: 'driver_hourly_stats:conv_rate' }] },
  },
  {
    name: 'an unknown push source is a 422 PushSourceNotFoundException',
    method: 'POST',
    path: '/push',
    status: 422,
    body: { push_source_name: 'nope', df: { driver_id: [1] } },
    expectType: 'PushSourceNotFoundException',
    expectFeastClass: 'PushSourceNotFoundException',
    expectMessage: /nope/,
  },
  {
    name: 'a write with a value of the wrong type is refused whole, naming column and row',
    method: 'POST',
    path: '/write-to-online-store',
    status: 422,
    body: {
      feature_view_name: 'driver_hourly_stats',
      df: {
        driver_id: [1003, 1004],
        event_timestamp: ['2021-04-12T12:00:00Z', '2021-04-12T12:00:00Z'],
        conv_rate: [0.1, 'high'],
        acc_rate: [0.1, 0.1],
        avg_daily_trips: [1, 1],
        label: ['a', 'b'],
      },
    },
    expectType: 'InvalidOnlineWriteError',
    expectMessage: /conv_rate\[1\]/,
  },
  {
    name: 'the refused write stored nothing',
    method: 'POST',
    path: '/get-online-features',
    status: 200,
    body: { features: ['driver_hourly_stats:conv_rate'], entities: { driver_id: [1003] } },
    expect: {
      results: [
        { values: [1003], statuses: ['PRESENT'], event_timestamps: [EPOCH] },
        { values: [null], statuses: ['NOT_FOUND'], event_timestamps: [EPOCH] },
      ],
      metadata: { feature_names: ['driver_id', 'conv_rate'] },
    },
  },
  {
    name: 'a route asked with another method is a 405',
    method: 'GET',
    path: '/get-online-features',
    status: 405,
    expect: { detail: 'Method Not Allowed' },
  },
  {
    name: 'an unknown route is a 404',
    method: 'GET',
    path: '/no-such-route',
    status: 404,
    expect: { detail: 'Not Found' },
  },
];

function show(value: unknown): string {
  return JSON.stringify(value);
}

type Fetch = (request: Request) => Promise<Response>;

/** Sends one case through `fetch` and throws, naming the part, where the answer differs. */
async function checkWire(wire: WireCase, fetch: Fetch, origin: string): Promise<void> {
  const response = await fetch(
    new Request(`${origin}${wire.path}`, {
      method: wire.method,
      ...(wire.body === undefined ? {} : { body: JSON.stringify(wire.body), headers: { 'Content-Type': 'application/json' } }),
    }),
  );
  const text = await response.text();
  if (response.status !== wire.status) throw new Error(`status: expected ${wire.status}, got ${response.status}: ${text.slice(0, 300)}`);
  const contentType = response.headers.get('content-type');
  if (wire.expectEmpty) {
    if (text !== '' || contentType !== null) throw new Error(`body: expected none and no content-type, got ${show(contentType)} ${show(text)}`);
    return;
  }
  if (!(contentType ?? '').includes('application/json')) throw new Error(`content-type: expected JSON, got ${contentType}`);
  const json: unknown = JSON.parse(text);
  if ('expect' in wire && text !== show(wire.expect)) throw new Error(`body: expected ${show(wire.expect)}, got ${text}`);
  if (wire.expectType && response.headers.get('x-feast-edge-error') !== wire.expectType) {
    throw new Error(`X-Feast-Edge-Error: expected ${wire.expectType}, got ${show(response.headers.get('x-feast-edge-error'))} (${text})`);
  }
  if (!wire.expectType) return;
  // Feast's error bodies are a JSON string: the error detail of a Feast class, else the message.
  if (typeof json !== 'string') throw new Error(`body: expected a JSON string, got ${text}`);
  let message = json;
  if (wire.expectFeastClass) {
    const detail = JSON.parse(json) as Record<string, unknown>;
    if (show(Object.keys(detail)) !== show(['module', 'class', 'message']) || detail.module !== 'feast.errors' || detail.class !== wire.expectFeastClass) {
      throw new Error(`body: expected Feast's error detail of ${wire.expectFeastClass}, got ${json}`);
    }
    message = String(detail.message);
  }
  if (wire.expectMessage && !wire.expectMessage.test(message)) throw new Error(`message: expected ${wire.expectMessage}, got ${show(message)}`);
}

/** Runs every case in order through `fetch` (any deployment) and reports each. */
export function runWireCases(fetch: Fetch, origin = 'http://feast-edge.test'): Promise<WireOutcome[]> {
  return runCases(
    wireCases.map((wire) => ({ name: wire.name, run: (f: Fetch) => checkWire(wire, f, origin) })),
    fetch,
  );
}
