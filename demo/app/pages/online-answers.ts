import type { OnlineWireResponse } from '../../../src/online/online-response.js';
import { SERVED_BY_HEADER } from '../served-by.js';
import { serverLabel, serverOnlineFeatures } from '../server-client.js';
import { featureStore, servedNow, usesImportedRegistry } from '../store-client.js';
import { browserStoreLabel } from '../store-label.js';
import { h } from '../ui/dom.js';
import type { FeatureSelection } from '../ui/feature-picker.js';
import { formatMs } from '../ui/format.js';
import { onlineVector } from '../ui/online-vector.js';

/** One answer, headed by the store that gave it. */
function answerSection(store: 'browser' | 'server', testId: string, heading: string, ...body: (Node | string | null)[]): HTMLElement {
  return h(
    'section',
    { class: `answer answer-${store}`, 'data-store': store, 'data-testid': testId },
    h('h2', { 'data-testid': `${testId}-store` }, heading),
    ...body,
  );
}

function jsonDetails(request: unknown, json: unknown, testId: string): HTMLElement {
  return h(
    'details',
    {},
    h('summary', {}, 'request and response JSON'),
    h('pre', {}, `POST /get-online-features\n${JSON.stringify(request, null, 1)}`),
    h('pre', { 'data-testid': testId }, JSON.stringify(json, null, 1)),
  );
}

/** This browser's answer, through the Web Worker (the only read that takes an as-of instant). */
export async function browserAnswer(selection: FeatureSelection, entityRows: Record<string, unknown>[], asOf: string | undefined): Promise<HTMLElement> {
  const started = performance.now();
  const { response, lookupMs } = await featureStore.getOnlineFeatures({ ...selection, entityRows, ...(asOf ? { now: asOf } : {}) });
  const roundTrip = performance.now() - started;
  return answerSection(
    'browser',
    'online-worker-result',
    `Answered by ${browserStoreLabel(servedNow())} (the Web Worker), as of ${asOf ?? 'now'}`,
    h(
      'p',
      { 'data-testid': 'online-latency', class: 'volatile' },
      `lookup ${formatMs(lookupMs)} in the worker, ${formatMs(roundTrip)} round trip from the page`,
    ),
    onlineVector(response, 'online-vector'),
  );
}

/**
 * Feast's HTTP request on the page's origin, as an app sends it: the Service Worker answers
 * from this browser's store; before it controls the page, the server does, and the heading says so.
 */
export async function serviceWorkerAnswer(body: unknown): Promise<HTMLElement> {
  // The Service Worker serves the example repo from IndexedDB: another project or Feast's file it cannot answer for.
  if (usesImportedRegistry() || servedNow()?.onlineStore.type !== 'indexeddb') {
    return h(
      'p',
      { class: 'muted', 'data-testid': 'online-http-skipped' },
      "fetch('/get-online-features') on this origin is answered by the Service Worker from the example repo's IndexedDB store; this project is read through the Web Worker only.",
    );
  }
  const started = performance.now();
  const answer = await fetch('/get-online-features', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const ms = performance.now() - started;
  const json = (await answer.json()) as OnlineWireResponse & { message?: string };
  const bySw = answer.headers.get(SERVED_BY_HEADER) === 'service-worker';
  const who = bySw
    ? `the Service Worker, from ${browserStoreLabel(servedNow())}`
    : `${serverLabel(location.origin)} (no Service Worker controls this page yet, so the network answered: not this browser's store)`;
  return answerSection(
    bySw ? 'browser' : 'server',
    'online-http-result',
    `fetch('/get-online-features') answered by ${who}, as of now`,
    h(
      'p',
      { 'data-testid': 'online-served-by' },
      `HTTP ${answer.status} from ${bySw ? 'service-worker' : 'the network'}`,
      h('span', { class: 'volatile' }, ` in ${formatMs(ms)}`),
    ),
    answer.ok ? onlineVector(json, 'online-http-vector') : h('p', { class: 'error' }, json.message ?? answer.statusText),
    jsonDetails(body, json, 'online-http-json'),
  );
}

/** The server's answer to Feast's request (its own online store), as `curl` gets it. */
export async function serverAnswer(body: unknown): Promise<HTMLElement> {
  const answer = await serverOnlineFeatures(body);
  if (!answer.ok)
    return answerSection(
      'server',
      'online-server-result',
      `No answer from ${serverLabel()}`,
      h('p', { class: 'error', 'data-testid': 'error' }, answer.problem),
    );
  return answerSection(
    'server',
    'online-server-result',
    `Answered by ${serverLabel()} (POST /get-online-features, its own online store), as of now`,
    h('p', { 'data-testid': 'online-served-by' }, `HTTP ${answer.status}`, h('span', { class: 'volatile' }, ` in ${formatMs(answer.ms)}`)),
    onlineVector(answer.body, 'online-server-vector'),
    jsonDetails(body, answer.body, 'online-server-json'),
  );
}
