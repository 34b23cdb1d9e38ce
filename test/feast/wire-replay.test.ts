/**
 * Every request real Feast 0.66's feature server answered (wire.jsonl, both fixture repos),
 * replayed in order against feast-edge's feature server over the same files (Feast's
 * registry, Feast's SQLite online store as the recording started, the repo's Parquet),
 * comparing status, content type and body: online answers as exact text after the
 * general differences below are applied to Feast's; FastAPI bodies, 404/405, empty and
 * `null` bodies as exact text; Feast's error bodies by shape, module and class. The cases
 * feast-edge answers differently on purpose are in DIFFERENCES (the README's table), and
 * their answers are checked too.
 */
import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryDocument } from '../../src/registry/document.js';
import { createFeatureServer } from '../../src/server/feature-server.js';
import { openFeastRepoStore, type FeastRepoStore } from './feast-repo-store.js';
import { parseJsonText, writeJsonText, type JsonText } from './json-text.js';
import { fixturePath, REPOS, type Repo } from './online-fixtures.js';

interface WireCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly request_headers: Record<string, string>;
  readonly request_body: string | null;
  readonly status: number;
  readonly response_headers: Record<string, string>;
  readonly response_body: string | null;
}

interface OnlineRequest {
  entities: Record<string, unknown>;
  features?: string[];
  feature_service?: string;
  full_feature_names?: boolean;
}

interface OnlineBody {
  results: { values: JsonText[]; statuses: string[]; event_timestamps: string[] }[];
  metadata: { feature_names: string[] };
}

interface Replay {
  readonly repo: Repo;
  readonly app: Hono;
  readonly document: () => Promise<RegistryDocument>;
  readonly cases: readonly WireCase[];
}

/** What one case answered: the response, its text, and a way to ask again. */
interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly errorType: string | null;
  readonly text: string;
}

/**
 * Where feast-edge answers differently from Feast's feature server, case by case, with
 * the reason (README: "Where feast-edge answers differently"). `check` asserts
 * feast-edge's own answer.
 */
interface Difference {
  readonly why: string;
  readonly check: (answer: Answer, feast: WireCase, replay: Replay) => Promise<void> | void;
}

/** A 4xx where Feast answers 500 with the exception text: the body stays Feast's shape, a JSON string. */
const clientError =
  (status: number, type: string, mentions: RegExp): Difference['check'] =>
  (answer) => {
    expect([answer.status, answer.errorType, answer.contentType]).toEqual([status, type, 'application/json']);
    expect(JSON.parse(answer.text)).toMatch(mentions);
  };

const STREAM_VIEW =
  "a stream view serves its window aggregations (driver_trips_stream: sum_trip_fare_3600s, max_km_2h), not the raw columns Feast's online store keeps for it: driver_trips_stream:trip_fare is a 404 FeatureNotFoundException, and the rest of the request answers as Feast's";

/** The stream view `driver_trips_stream` serves its aggregations, not Feast's raw columns: asked without it, the rest is Feast's. */
const streamViewRead =
  (expectedFrom?: string): Difference['check'] =>
  async (answer, feast, replay) => {
    expect([answer.status, answer.errorType]).toEqual([404, 'FeatureNotFoundException']);
    expect(JSON.parse(answer.text)).toMatch(/'trip_fare'.*'driver_trips_stream'.*sum_trip_fare_3600s/);
    const request = JSON.parse(feast.request_body!) as OnlineRequest & { features: string[] };
    const without = { ...request, features: request.features.filter((f) => !f.startsWith('driver_trips_stream:')) };
    const again = await ask(replay, { ...feast, request_body: JSON.stringify(without) });
    const source = expectedFrom ? replay.cases.find((c) => c.name === expectedFrom)! : feast;
    await expectOnline(again, dropColumn(source.response_body!, 'driver_trips_stream__trip_fare'), without, replay);
  };

const DIFFERENCES: Record<Repo, Record<string, Difference>> = {
  quickstart: {
    get_unknown_feature: {
      why: "an unknown feature is the caller's mistake: 404 FeatureNotFoundException (Feast: 500, a KeyError)",
      check: clientError(404, 'FeatureNotFoundException', /no_such_feature/),
    },
    get_missing_join_key: {
      why: "a missing join key is the caller's mistake: 422 MissingJoinKeyError (Feast: 500, a KeyError)",
      check: clientError(422, 'MissingJoinKeyError', /driver_id/),
    },
    push_offline_tz_aware_created: {
      why: 'a timestamp with a UTC offset is read as the instant it names, also for a Parquet column without a zone (Feast: 500, pyarrow refuses it)',
      check: (answer) => expect([answer.status, answer.text, answer.contentType]).toEqual([200, '', null]),
    },
    write_to_online_store_missing_features: {
      why: "a write lacking some of the view's features is refused whole, naming them: 422 InvalidOnlineWriteError (Feast: 500, a pandas KeyError)",
      check: clientError(422, 'InvalidOnlineWriteError', /driver_metadata/),
    },
    get_after_materialize: {
      why: "online stores keep the newest event per entity: materializing an older source row does not replace the value written at 15:00 (Feast's SQLite store: last write wins)",
      check: async (answer, feast, replay) => {
        const written = replay.cases.find((c) => c.name === 'get_after_write')!;
        await expectOnline(answer, written.response_body!, JSON.parse(feast.request_body!), replay);
      },
    },
    get_chat_page: {
      why: 'no chat page (feast-edge has no LLM chat): 404',
      check: (answer) => expect([answer.status, answer.text]).toEqual([404, '{"detail":"Not Found"}']),
    },
  },
  rich: {
    get_unknown_feature: {
      why: "an unknown feature is the caller's mistake: 404 FeatureNotFoundException (Feast: 500, a KeyError)",
      check: clientError(404, 'FeatureNotFoundException', /no_such_feature/),
    },
    get_missing_join_key: {
      why: "a missing join key is the caller's mistake: 422 MissingJoinKeyError (Feast: 500, a KeyError)",
      check: clientError(422, 'MissingJoinKeyError', /driver_id/),
    },
    get_ragged_entity_columns: {
      why: "entity columns of different lengths are the caller's mistake: 422 InvalidEntityRowsError (Feast: 500)",
      check: clientError(422, 'InvalidEntityRowsError', /customer_id/),
    },
    get_before_push: { why: STREAM_VIEW, check: streamViewRead() },
    get_after_push_online: { why: STREAM_VIEW, check: streamViewRead() },
    get_after_push_offline: { why: STREAM_VIEW, check: streamViewRead() },
    get_after_push_online_and_offline: { why: STREAM_VIEW, check: streamViewRead() },
    get_after_push_older_event: {
      why:
        STREAM_VIEW +
        "; and online stores keep the newest event per entity: the push with an older event time did not replace 2025-01-08T12:00 (Feast's SQLite store: last write wins)",
      check: streamViewRead('get_after_push_online_and_offline'),
    },
    push_bad_to: {
      why: "an unknown `to` is the caller's mistake: 422 (Feast: 500, a ValueError)",
      check: clientError(422, 'RequestValidationError', /somewhere/),
    },
    push_offline_missing_column: {
      why: 'a push lacking a column is refused whole, naming it: 422 (Feast: 500, a ValueError)',
      check: clientError(422, 'InvalidOnlineWriteError', /trip_km/),
    },
    materialize_all_views: {
      why: "every online feature view is materialized; stream views are not materialized but computed from pushes and ingests (Feast: 500, its local engine refuses the stream view's window aggregations)",
      check: (answer) => expect([answer.status, answer.text]).toEqual([200, 'null']),
    },
    materialize_offline_view: {
      why: "materializing a view with online: false is the caller's mistake: 422 InvalidMaterializationRequest (Feast: 500, a ValueError)",
      check: clientError(422, 'InvalidMaterializationRequest', /driver_daily/),
    },
    materialize_bad_timestamp: {
      why: "an unreadable timestamp is the caller's mistake: 422 InvalidTimestampError (Feast: 500, a ValueError)",
      check: clientError(422, 'InvalidTimestampError', /yesterday-ish/),
    },
    get_after_materialize_incremental: {
      why: "online stores keep the newest event per entity: driver 1005 keeps the value written for 2025-01-08 (Feast's SQLite store: the older source row replaced it)",
      check: async (answer, feast, replay) => {
        const body = parseJsonText(feast.response_body!) as unknown as OnlineBody;
        const written = parseJsonText(replay.cases.find((c) => c.name === 'get_after_write')!.response_body!) as unknown as OnlineBody;
        const from = written.results[written.metadata.feature_names.indexOf('conv_rate')];
        const into = body.results[body.metadata.feature_names.indexOf('conv_rate')];
        into.values[1] = from.values[0];
        into.event_timestamps[1] = from.event_timestamps[0];
        await expectOnline(answer, writeJsonText(body as unknown as JsonText), JSON.parse(feast.request_body!), replay);
      },
    },
    get_chat_page: {
      why: 'no chat page (feast-edge has no LLM chat): 404',
      check: (answer) => expect([answer.status, answer.text]).toEqual([404, '{"detail":"Not Found"}']),
    },
  },
};

const EPOCH = '1970-01-01T00:00:00Z';

async function ask(replay: Replay, c: WireCase): Promise<Answer> {
  const response = await replay.app.request(c.path, {
    method: c.method,
    headers: c.request_headers,
    ...(c.request_body === null ? {} : { body: c.request_body }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    errorType: response.headers.get('x-feast-edge-error'),
    text: await response.text(),
  };
}

function dropColumn(bodyText: string, name: string): string {
  const body = parseJsonText(bodyText) as unknown as OnlineBody;
  const i = body.metadata.feature_names.indexOf(name);
  if (i >= 0) {
    body.results.splice(i, 1);
    body.metadata.feature_names.splice(i, 1);
  }
  return writeJsonText(body as unknown as JsonText);
}

/** Output column -> the feature view it reads, from the request's references or feature service. */
function viewsOfColumns(request: OnlineRequest, document: RegistryDocument) {
  const views = new Map<string, string>();
  const add = (view: string, name: string, feature: string) => views.set(request.full_feature_names ? `${name}__${feature}` : feature, view);
  if (request.feature_service) {
    for (const p of document.featureServices[request.feature_service].spec.projections) for (const f of p.features) add(p.viewName, p.alias ?? p.viewName, f);
  } else {
    for (const ref of request.features ?? []) {
      const [view, feature] = ref.split(':');
      add(view, view, feature);
    }
  }
  return views;
}

/**
 * Feast's answer as feast-edge gives it, checked as exact text: the echoed join keys
 * first, then the features in feast-edge's order (request order; Feast orders one view's
 * features by iterating a Python set), and feast-edge's statuses where Feast says PRESENT:
 * NULL_VALUE for a stored null, OUTSIDE_MAX_AGE for a value older than its view's ttl (measured from now).
 */
async function expectOnline(answer: Answer, feastText: string, request: OnlineRequest, replay: Replay): Promise<void> {
  expect([answer.status, answer.contentType]).toEqual([200, 'application/json']);
  const feast = parseJsonText(feastText) as unknown as OnlineBody;
  const edge = parseJsonText(answer.text) as unknown as OnlineBody;
  expect(Object.keys(edge)).toEqual(['results', 'metadata']);
  const names = feast.metadata.feature_names;
  const echoed = names.filter((n) => n in request.entities);
  expect(names.slice(0, echoed.length), 'Feast echoes the join keys first').toEqual(echoed);
  expect(edge.metadata.feature_names.slice(0, echoed.length)).toEqual(echoed);
  expect([...edge.metadata.feature_names].sort()).toEqual([...names].sort());

  const document = await replay.document();
  const views = viewsOfColumns(request, document);
  const now = Date.now();
  const expected: OnlineBody = { results: [], metadata: { feature_names: edge.metadata.feature_names } };
  for (const name of edge.metadata.feature_names) {
    const from = feast.results[names.indexOf(name)];
    const column = { values: [...from.values], statuses: [...from.statuses], event_timestamps: [...from.event_timestamps] };
    const view = views.get(name);
    const ttlMs = view && document.featureViews[view] ? document.featureViews[view].spec.ttlSeconds * 1000 : 0;
    column.statuses = column.statuses.map((status, i) => {
      const at = column.event_timestamps[i];
      if (status !== 'PRESENT' || at === EPOCH || !view) return status;
      if (column.values[i] === null) return 'NULL_VALUE';
      return ttlMs > 0 && now - Date.parse(at) > ttlMs ? 'OUTSIDE_MAX_AGE' : status;
    });
    expected.results.push(column);
  }
  expect(answer.text).toBe(writeJsonText(expected as unknown as JsonText));
}

/** Feast's error detail: a JSON string holding {"module", "class", "message"}, which Feast's SDK raises as that class. */
const feastErrorOf = (text: string): Record<string, string> | undefined => {
  if (!text.startsWith('"')) return undefined;
  const outer: unknown = JSON.parse(text);
  if (typeof outer !== 'string' || !outer.startsWith('{"module": ')) return undefined;
  return JSON.parse(outer) as Record<string, string>;
};

async function expectSame(answer: Answer, feast: WireCase, replay: Replay): Promise<void> {
  expect([answer.status, answer.contentType]).toEqual([feast.status, feast.response_headers['content-type'] ?? null]);
  if (feast.path === '/get-online-features' && feast.status === 200) {
    await expectOnline(answer, feast.response_body!, JSON.parse(feast.request_body!), replay);
    return;
  }
  const detail = feastErrorOf(feast.response_body!);
  if (detail) {
    // The class and shape are Feast's; the message is feast-edge's own, naming the valid choices.
    const edge = feastErrorOf(answer.text);
    expect(Object.keys(edge ?? {})).toEqual(['module', 'class', 'message']);
    expect({ module: edge!.module, class: edge!.class }).toEqual({ module: detail.module, class: detail.class });
    return;
  }
  expect(answer.text).toBe(feast.response_body);
}

for (const repo of REPOS) {
  describe(`Feast's wire, replayed: ${repo}`, () => {
    const cases = readFileSync(fixturePath(repo, 'wire.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as WireCase);
    let opened: FeastRepoStore;
    let replay: Replay;
    beforeAll(async () => {
      opened = await openFeastRepoStore(repo);
      const app = createFeatureServer(opened.store, { onServerError: () => {} });
      replay = { repo, app, document: () => opened.store.registry.document(), cases };
    }, 60_000);
    afterAll(async () => opened?.close());

    for (const feast of cases) {
      const difference = DIFFERENCES[repo][feast.name];
      it(`${feast.name}: ${difference ? `differs on purpose (${difference.why})` : "answers as Feast's server"}`, async () => {
        const answer = await ask(replay, feast);
        if (difference) await difference.check(answer, feast, replay);
        else await expectSame(answer, feast, replay);
      });
    }
  });
}
