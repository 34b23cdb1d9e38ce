/**
 * Feast feature-server request/response pairs, re-created from Feast's documentation and
 * tests (column-major results, join keys first, status names, RFC 3339 timestamps with Z,
 * int64 as JSON numbers), as plain data run in order against any deployment: in-process,
 * Node over HTTP, workerd, Deno, a Service Worker. No test-runner import.
 */
import { runCases, type ContractOutcome } from '../support/contract-cases.js';

export interface WireCase {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
  /** The whole JSON answer, or, for errors, the fields that must match. */
  readonly expect?: unknown;
  readonly expectType?: string;
  readonly expectMessage?: RegExp;
}

export type WireOutcome = ContractOutcome;

const EPOCH = '1970-01-01T00:00:00Z';

export const wireCases: readonly WireCase[] = [
  {
    name: 'health answers 200',
    method: 'GET',
    path: '/health',
    status: 200,
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
    name: 'get-online-features: join keys first, column-major values, statuses and timestamps',
    method: 'POST',
    path: '/get-online-features',
    status: 200,
    body: { features: ['driver_hourly_stats:conv_rate', 'driver_hourly_stats:acc_rate'], entities: { driver_id: [1001, 1002, 1003] } },
    expect: {
      metadata: { feature_names: ['driver_id', 'conv_rate', 'acc_rate'] },
      results: [
        { values: [1001, 1002, 1003], statuses: ['PRESENT', 'PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH, EPOCH] },
        {
          values: [0.53, 0.25, null],
          statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'],
          event_timestamps: ['2021-04-12T10:00:00Z', '2021-04-12T08:00:00Z', EPOCH],
        },
        {
          values: [0.9, null, null],
          statuses: ['PRESENT', 'NULL_VALUE', 'NOT_FOUND'],
          event_timestamps: ['2021-04-12T10:00:00Z', '2021-04-12T08:00:00Z', EPOCH],
        },
      ],
    },
  },
  {
    name: 'get-online-features with full_feature_names and an int64 feature',
    method: 'POST',
    path: '/get-online-features',
    status: 200,
    body: { features: ['driver_hourly_stats:avg_daily_trips'], entities: { driver_id: [1002] }, full_feature_names: true },
    expect: {
      metadata: { feature_names: ['driver_id', 'driver_hourly_stats__avg_daily_trips'] },
      results: [
        { values: [1002], statuses: ['PRESENT'], event_timestamps: [EPOCH] },
        { values: [30], statuses: ['PRESENT'], event_timestamps: ['2021-04-12T08:00:00Z'] },
      ],
    },
  },
  {
    name: 'push to online replaces older values; an older push does not',
    method: 'POST',
    path: '/push',
    status: 200,
    expect: null,
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
    name: 'a feature service with request data: on-demand values computed at read time',
    method: 'POST',
    path: '/get-online-features',
    status: 200,
    body: { feature_service: 'driver_activity', entities: { driver_id: [1001, 1002], val_to_add: [1, 2] } },
    expect: {
      metadata: { feature_names: ['driver_id', 'val_to_add', 'conv_rate', 'acc_rate', 'avg_daily_trips', 'label', 'conv_rate_plus_val'] },
      results: [
        { values: [1001, 1002], statuses: ['PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH] },
        { values: [1, 2], statuses: ['PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH] },
        { values: [0.6, 0.25], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
        { values: [0.91, null], statuses: ['PRESENT', 'NULL_VALUE'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
        { values: [13, 30], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
        { values: ['faster', 'slow'], statuses: ['PRESENT', 'PRESENT'], event_timestamps: ['2021-04-12T11:00:00Z', '2021-04-12T08:00:00Z'] },
        { values: [1.6, 2.25], statuses: ['PRESENT', 'PRESENT'], event_timestamps: [EPOCH, EPOCH] },
      ],
    },
  },
  {
    name: 'an unknown feature view is a 404 FeatureViewNotFoundException naming it',
    method: 'POST',
    path: '/get-online-features',
    status: 404,
    body: { features: ['driver_daily_stats:conv_rate'], entities: { driver_id: [1001] } },
    expectType: 'FeatureViewNotFoundException',
    expectMessage: /driver_daily_stats/,
  },
  {
    name: 'an unknown feature is a 404 FeatureNotFoundException naming it',
    method: 'POST',
    path: '/get-online-features',
    status: 404,
    body: { features: ['driver_hourly_stats:speed'], entities: { driver_id: [1001] } },
    expectType: 'FeatureNotFoundException',
    expectMessage: /speed/,
  },
  {
    name: 'a missing join key is a 422 naming it',
    method: 'POST',
    path: '/get-online-features',
    status: 422,
    body: { features: ['driver_hourly_stats:conv_rate'], entities: { customer_id: [1] } },
    expectType: 'MissingJoinKeyError',
    expectMessage: /driver_id/,
  },
  {
    name: 'missing request data for an on-demand view is a 422 naming the field',
    method: 'POST',
    path: '/get-online-features',
    status: 422,
    body: { features: ['transformed_conv_rate:conv_rate_plus_val'], entities: { driver_id: [1001] } },
    expectType: 'RequestDataNotFoundInEntityRowsException',
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
    name: 'a malformed body is a 422 RequestValidationError naming the field',
    method: 'POST',
    path: '/get-online-features',
    status: 422,
    body: { features: 'driver_hourly_stats:conv_rate', entities: { driver_id: [1001] } },
    expectType: 'RequestValidationError',
    expectMessage: /^features: /,
  },
  {
    name: 'an unknown push source is a 404 PushSourceNotFoundException',
    method: 'POST',
    path: '/push',
    status: 404,
    body: { push_source_name: 'nope', df: { driver_id: [1] } },
    expectType: 'PushSourceNotFoundException',
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
      metadata: { feature_names: ['driver_id', 'conv_rate'] },
      results: [
        { values: [1003], statuses: ['PRESENT'], event_timestamps: [EPOCH] },
        { values: [null], statuses: ['NOT_FOUND'], event_timestamps: [EPOCH] },
      ],
    },
  },
  {
    name: 'an unknown route is a 404',
    method: 'GET',
    path: '/no-such-route',
    status: 404,
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
  if (!(response.headers.get('content-type') ?? '').includes('application/json'))
    throw new Error(`content-type: expected JSON, got ${response.headers.get('content-type')}`);
  const json = JSON.parse(text) as Record<string, unknown>;
  if ('expect' in wire && show(json) !== show(wire.expect)) throw new Error(`body: expected ${show(wire.expect)}, got ${text}`);
  if (wire.expectType && json.type !== wire.expectType) throw new Error(`type: expected ${wire.expectType}, got ${show(json.type)} (${text})`);
  if (wire.expectMessage && !wire.expectMessage.test(String(json.message)))
    throw new Error(`message: expected ${wire.expectMessage}, got ${show(json.message)}`);
  if (wire.status >= 400 && json.status_code !== wire.status) throw new Error(`status_code: expected ${wire.status}, got ${show(json.status_code)}`);
}

/** Runs every case in order through `fetch` (any deployment) and reports each. */
export function runWireCases(fetch: Fetch, origin = 'http://feast-edge.test'): Promise<WireOutcome[]> {
  return runCases(
    wireCases.map((wire) => ({ name: wire.name, run: (f: Fetch) => checkWire(wire, f, origin) })),
    fetch,
  );
}
