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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeatureServer } from '../../src/server/feature-server.js';
import { openFeastRepoStore, type FeastRepoStore } from './feast-repo-store.js';
import { parseJsonText, writeJsonText, type JsonText } from './json-text.js';
import { fixturePath, REPOS, type Repo } from './online-fixtures.js';
import { ask, dropColumn, expectOnline, expectSame, type Answer, type OnlineBody, type OnlineRequest, type Replay, type WireCase } from './wire-compare.js';

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

/** The differences both recordings show: the same requests, answered the same way. */
const BOTH_REPOS: Record<string, Difference> = {
  get_unknown_feature: {
    why: "an unknown feature is the caller's mistake: 404 FeatureNotFoundException (Feast: 500, a KeyError)",
    check: clientError(404, 'FeatureNotFoundException', /no_such_feature/),
  },
  get_missing_join_key: {
    why: "a missing join key is the caller's mistake: 422 MissingJoinKeyError (Feast: 500, a KeyError)",
    check: clientError(422, 'MissingJoinKeyError', /driver_id/),
  },
};

const DIFFERENCES: Record<Repo, Record<string, Difference>> = {
  quickstart: {
    ...BOTH_REPOS,
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
    ...BOTH_REPOS,
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
      replay = { app, document: () => opened.store.registry.document(), cases };
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
