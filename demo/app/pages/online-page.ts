import type { OnlineWireResponse } from '../../../src/online/online-response.js';
import type { Page } from '../page.js';
import { requiredEntityColumns, type RequiredColumn } from '../registry-model.js';
import { restampOnlineRows } from '../restamp-online-rows.js';
import { SERVED_BY_HEADER } from '../served-by.js';
import { featureStore, servedNow, storeReady, usesImportedRegistry } from '../store-client.js';
import { h, replace } from '../ui/dom.js';
import { featurePicker, type FeatureSelection } from '../ui/feature-picker.js';
import { formatMs } from '../ui/format.js';
import { messageBox } from '../ui/messages.js';
import { onlineVector } from '../ui/online-vector.js';

const EXAMPLE_KEYS: Readonly<Record<string, string>> = { driver_id: '1001, 1002', customer_id: '2001, 2002', val_to_add: '1, 2' };

/** One input's comma-separated values; numbers where they look like numbers (Feast's JSON sends int64 keys as numbers). */
function parseValues(column: string, text: string): unknown[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new Error(`${column}: enter at least one value`);
  return parts.map((p) => (/^-?\d+(\.\d+)?$/.test(p) ? Number(p) : p));
}

/** Reads feature vectors from the online store: through the worker, and as Feast's HTTP request answered by the Service Worker. */
export function createOnlinePage(): Page {
  const messages = messageBox();
  const picker = featurePicker('online');
  const keys = h('div', { class: 'keys' });
  const inputs = new Map<string, HTMLInputElement>();
  const workerResult = h('div', { 'data-testid': 'online-worker-result' });
  const httpResult = h('div', { 'data-testid': 'online-http-result' });
  // Empty means now; Feast's HTTP route has no such field, so only the worker's lookup takes it.
  const asOf = h('input', { type: 'text', size: 24, placeholder: 'now', 'data-testid': 'online-as-of' });
  let columns: RequiredColumn[] = [];
  let lastLookup: { entityRows: Record<string, unknown>[]; views: string[] } | undefined;

  async function refreshKeys() {
    let selection: FeatureSelection;
    try {
      selection = picker.selection();
    } catch {
      return;
    }
    columns = requiredEntityColumns(await featureStore.registryDocument(), selection);
    replace(
      keys,
      ...columns.map(({ column, neededBy }) => {
        const input = inputs.get(column) ?? h('input', { type: 'text', value: EXAMPLE_KEYS[column] ?? '', 'data-testid': `key-${column}`, size: 24 });
        inputs.set(column, input);
        return h('label', {}, `${column} `, input, h('span', { class: 'muted' }, ` (${neededBy})`));
      }),
    );
  }

  async function lookUp() {
    messages.clear();
    replace(workerResult);
    replace(httpResult);
    try {
      const selection = picker.selection();
      const entities = Object.fromEntries(columns.map(({ column }) => [column, parseValues(column, inputs.get(column)!.value)]));
      const lengths = new Set(Object.values(entities).map((v) => v.length));
      if (lengths.size > 1)
        throw new Error(
          `Entity keys: every column needs the same number of values, got ${Object.entries(entities)
            .map(([k, v]) => `${k}: ${v.length}`)
            .join(', ')}`,
        );
      const count = [...lengths][0] ?? 0;
      const entityRows = Array.from({ length: count }, (_, i) => Object.fromEntries(Object.entries(entities).map(([k, v]) => [k, v[i]])));

      const started = performance.now();
      const doc = await featureStore.registryDocument();
      const views = [
        ...new Set(
          selection.featureService
            ? (doc.featureServices[selection.featureService]?.spec.projections ?? []).flatMap((p) =>
                p.viewKind === 'featureView' ? [p.viewName] : (doc.onDemandFeatureViews[p.viewName]?.spec.sources.map((s) => s.viewName) ?? []),
              )
            : (selection.features ?? []).map((ref) => ref.split(':')[0]),
        ),
      ].filter((name) => name in doc.featureViews);
      lastLookup = { entityRows, views };
      const now = asOf.value.trim();
      if (now !== '' && Number.isNaN(Date.parse(now)))
        throw new Error(`As of: expected an ISO 8601 instant such as 2021-04-12T12:00:00Z, or empty for now; got '${now}'`);
      const { response, lookupMs } = await featureStore.getOnlineFeatures({
        ...selection,
        entityRows,
        ...(now !== '' ? { now: new Date(now).toISOString() } : {}),
      });
      const roundTrip = performance.now() - started;
      replace(
        workerResult,
        h('h2', {}, `From the Web Worker, as of ${now === '' ? 'now' : new Date(now).toISOString()}`),
        h('p', { 'data-testid': 'online-latency' }, `lookup ${formatMs(lookupMs)} in the worker, ${formatMs(roundTrip)} round trip from the page`),
        onlineVector(response, 'online-vector'),
      );

      // The Service Worker serves the example repo from IndexedDB: another project or Feast's file it cannot answer for.
      if (usesImportedRegistry() || servedNow()?.onlineStore.type !== 'indexeddb') {
        replace(
          httpResult,
          h(
            'p',
            { class: 'muted', 'data-testid': 'online-http-skipped' },
            "fetch('/get-online-features') is answered by the Service Worker from the example repo's IndexedDB store; this project is served by the Web Worker only.",
          ),
        );
        return;
      }
      const body = { ...(selection.featureService ? { feature_service: selection.featureService } : { features: selection.features }), entities };
      const fetchStarted = performance.now();
      const answer = await fetch('/get-online-features', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const fetchMs = performance.now() - fetchStarted;
      const json = (await answer.json()) as OnlineWireResponse & { message?: string };
      const servedBy = answer.headers.get(SERVED_BY_HEADER) ?? 'the network (no Service Worker in control yet)';
      replace(
        httpResult,
        h('h2', {}, "Through fetch('/get-online-features'), as of now (Feast's HTTP API has no as-of)"),
        h('p', { 'data-testid': 'online-served-by' }, `HTTP ${answer.status} from ${servedBy} in ${formatMs(fetchMs)}`),
        answer.ok ? onlineVector(json, 'online-http-vector') : h('p', { class: 'error' }, json.message ?? answer.statusText),
        h(
          'details',
          {},
          h('summary', {}, 'request and response JSON'),
          h('pre', {}, `POST /get-online-features\n${JSON.stringify(body, null, 1)}`),
          h('pre', { 'data-testid': 'online-http-json' }, JSON.stringify(json, null, 1)),
        ),
      );
    } catch (error) {
      messages.error(error);
    }
  }

  /** The latest end of the views' materialization intervals: the instant materialized rows were current at. */
  async function asOfMaterialized() {
    const ends = Object.values((await featureStore.registryDocument()).featureViews)
      .flatMap((v) => v.materializationIntervals.map((i) => i.end))
      .sort();
    if (ends.length === 0) {
      messages.error(new Error('No view has been materialized yet: run Materialize first.'));
      return;
    }
    asOf.value = ends[ends.length - 1];
  }

  async function restamp() {
    if (!lastLookup) return;
    try {
      const written = await restampOnlineRows(await featureStore.registryDocument(), lastLookup.views, lastLookup.entityRows);
      await lookUp();
      messages.notice(
        `Re-stamped as of now: ${
          Object.entries(written)
            .map(([view, n]) => `${view} ${n} rows`)
            .join(', ') || 'no rows found to re-stamp'
        }.`,
      );
    } catch (error) {
      messages.error(error);
    }
  }

  picker.element.addEventListener('change', () => void refreshKeys());
  const element = h(
    'div',
    {},
    h('h1', {}, 'Online features'),
    h(
      'p',
      { class: 'muted' },
      "Reads what Materialize wrote to the online store (IndexedDB, or a Feast online_store.db you loaded). Statuses are Feast's: PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE (the view's ttl is enforced at read time).",
    ),
    picker.element,
    h('fieldset', { class: 'picker' }, h('legend', {}, 'Entity keys (comma-separated, one value per entity row)'), keys),
    h(
      'p',
      {},
      h('label', {}, 'As of ', asOf),
      ' ',
      h('button', { type: 'button', 'data-testid': 'online-as-of-materialized', onclick: () => asOfMaterialized() }, 'End of the last materialization'),
      h('span', { class: 'muted' }, ' (ttls are measured back from this instant; empty: now)'),
    ),
    h(
      'p',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', 'data-testid': 'online-lookup', onclick: () => lookUp() }, 'Look up'),
      ' ',
      h(
        'button',
        { type: 'button', 'data-testid': 'online-restamp', title: 'writeToOnlineStore with the same values and the current time', onclick: () => restamp() },
        'Re-stamp these rows as of now',
      ),
    ),
    h(
      'p',
      { class: 'muted' },
      'The example data is from April 2021 and each view\'s ttl is enforced when reading, so materialized rows read as OUTSIDE_MAX_AGE as of today. Read them as of the end of the materialization to see what a model was served then, or "Re-stamp": it writes the same values with the current time (writeToOnlineStore, as a push of fresh events would), after which they read as PRESENT now, through the Service Worker too.',
    ),
    messages.element,
    workerResult,
    httpResult,
  );
  return {
    title: 'Online',
    element,
    async show() {
      try {
        await storeReady();
        picker.update(await featureStore.registryDocument());
        await refreshKeys();
      } catch (error) {
        messages.error(error);
      }
    },
  };
}
