/**
 * Comparing feast-edge's answers with the ones Feast's feature server gave to the same
 * requests (wire.jsonl, the SDK recordings): online answers as exact text after
 * feast-edge's general differences are applied to Feast's, Feast's error bodies by
 * shape, module and class, everything else as exact text.
 */
import type { Hono } from 'hono';
import { expect } from 'vitest';
import type { RegistryDocument } from '../../src/registry/document.js';
import { parseJsonText, writeJsonText, type JsonText } from './json-text.js';

export interface WireCase {
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly request_headers: Record<string, string>;
  readonly request_body: string | null;
  readonly status: number;
  readonly response_headers: Record<string, string>;
  readonly response_body: string | null;
}

export interface OnlineRequest {
  entities: Record<string, unknown>;
  features?: string[];
  feature_service?: string;
  full_feature_names?: boolean;
}

export interface OnlineBody {
  results: { values: JsonText[]; statuses: string[]; event_timestamps: string[] }[];
  metadata: { feature_names: string[] };
}

export interface Replay {
  readonly app: Hono;
  readonly document: () => Promise<RegistryDocument>;
  readonly cases: readonly WireCase[];
}

/** What feast-edge answered to one request. */
export interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly errorType: string | null;
  readonly text: string;
}

const EPOCH = '1970-01-01T00:00:00Z';

/** Sends a recorded request to feast-edge's server, as it was sent to Feast's. */
export async function ask(replay: Replay, c: Pick<WireCase, 'method' | 'path' | 'request_headers' | 'request_body'>): Promise<Answer> {
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

export function dropColumn(bodyText: string, name: string): string {
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
export async function expectOnline(answer: Answer, feastText: string, request: OnlineRequest, replay: Replay): Promise<void> {
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
export const feastErrorOf = (text: string): Record<string, string> | undefined => {
  if (!text.startsWith('"')) return undefined;
  const outer: unknown = JSON.parse(text);
  if (typeof outer !== 'string' || !outer.startsWith('{"module": ')) return undefined;
  return JSON.parse(outer) as Record<string, string>;
};

export async function expectSame(answer: Answer, feast: WireCase, replay: Replay): Promise<void> {
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
