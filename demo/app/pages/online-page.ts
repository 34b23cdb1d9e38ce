import type { RegistryDocument } from '../../../src/registry/document.js';
import { EXAMPLE_KEYS } from '../example-repo.js';
import { freshnessLines } from '../freshness-view.js';
import { browserTarget, serverTarget } from '../online-targets.js';
import type { Page } from '../page.js';
import { requiredEntityColumns, type RequiredColumn } from '../registry-model.js';
import { restampOnlineRows } from '../restamp-online-rows.js';
import { serverOrigin, serverRegistry, setServerOrigin } from '../server-client.js';
import { featureStore, servedNow, storeReady } from '../store-client.js';
import { browserStoreLabel } from '../store-label.js';
import { h, replace } from '../ui/dom.js';
import { featurePicker, type FeatureSelection } from '../ui/feature-picker.js';
import { messageBox } from '../ui/messages.js';
import { browserAnswer, serverAnswer, serviceWorkerAnswer } from './online-answers.js';

/** One input's comma-separated values; numbers where they look like numbers (Feast's JSON sends int64 keys as numbers). */
function parseValues(column: string, text: string): unknown[] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new Error(`${column}: enter at least one value`);
  return parts.map((p) => (/^-?\d+(\.\d+)?$/.test(p) ? Number(p) : p));
}

/** The batch views a selection reads (a service's, through its on-demand views too). */
function viewsRead(doc: RegistryDocument, selection: FeatureSelection): string[] {
  const names = selection.featureService
    ? (doc.featureServices[selection.featureService]?.spec.projections ?? []).flatMap((p) =>
        p.viewKind === 'featureView' ? [p.viewName] : (doc.onDemandFeatureViews[p.viewName]?.spec.sources.map((s) => s.viewName) ?? []),
      )
    : (selection.features ?? []).flatMap((ref) => {
        const view = ref.split(':')[0];
        return doc.onDemandFeatureViews[view] ? doc.onDemandFeatureViews[view].spec.sources.map((s) => s.viewName) : [view];
      });
  return [...new Set(names)].filter((name) => name in doc.featureViews);
}

/**
 * Reads feature vectors from one online store, named on every answer: this browser's
 * (the Web Worker; Feast's HTTP request answered by the Service Worker from the same
 * store) or the server's (Feast's HTTP API at its origin, past the Service Worker).
 */
export function createOnlinePage(): Page {
  const messages = messageBox();
  const picker = featurePicker('online');
  const keys = h('div', { class: 'keys' });
  const inputs = new Map<string, HTMLInputElement>();
  const results = h('div', { 'data-testid': 'online-results' });
  const freshnessBox = h('div', { 'data-testid': 'online-freshness' });
  const fromBrowser = h('input', { type: 'radio', name: 'online-from', value: 'browser', checked: true, 'data-testid': 'online-from-browser' });
  const fromServer = h('input', { type: 'radio', name: 'online-from', value: 'server', 'data-testid': 'online-from-server' });
  const browserName = h('span', {}, browserStoreLabel(servedNow()));
  const origin = h('input', { type: 'url', size: 28, value: serverOrigin(), 'data-testid': 'online-server-origin' });
  // Empty means now; Feast's HTTP API has no such field, so only this browser's reads take it.
  const asOf = h('input', { type: 'text', size: 24, placeholder: 'now', 'data-testid': 'online-as-of' });
  const asOfNote = h('span', { class: 'muted' });
  const restampButton = h('button', { type: 'button', 'data-testid': 'online-restamp', onclick: () => restamp() }, 'Re-stamp these rows as of now');
  let lastLookup: { entityRows: Record<string, unknown>[]; views: string[] } | undefined;

  const target = () => (fromServer.checked ? serverTarget() : browserTarget());
  const syncSource = () => {
    asOf.disabled = fromServer.checked;
    asOfNote.textContent = fromServer.checked
      ? " (the server's HTTP API reads as of now)"
      : ' (ttls are measured back from this instant, and a row written after it reads NOT_FOUND; empty: now)';
    restampButton.textContent = `Re-stamp these rows as of now in ${target().label}`;
  };

  /** The key inputs drawn last, as `column (needed by)` lines: unchanged, they are left in place. */
  let drawnKeys = '';

  async function refreshKeys() {
    const doc = await featureStore.registryDocument();
    // The selection as it is now, not as it was when the call began: several picks in a row
    // each start a call, and one that lands late must not draw an older selection's keys.
    let selection: FeatureSelection;
    try {
      selection = picker.selection();
    } catch {
      return;
    }
    const columns: RequiredColumn[] = requiredEntityColumns(doc, selection);
    const drawn = columns.map(({ column, neededBy }) => `${column} (${neededBy})`).join('\n');
    // Redrawing detaches the inputs: someone typing in one would lose the focus and the text.
    if (drawn !== drawnKeys) {
      drawnKeys = drawn;
      replace(
        keys,
        ...columns.map(({ column, neededBy }) => {
          const input =
            inputs.get(column) ?? h('input', { type: 'text', value: (EXAMPLE_KEYS[column] ?? []).join(', '), 'data-testid': `key-${column}`, size: 24 });
          inputs.set(column, input);
          return h('label', {}, `${column} `, input, h('span', { class: 'muted' }, ` (${neededBy})`));
        }),
      );
    }
    showFreshness(doc, selection);
  }

  /** Each store's materialization of the views read, asked again at each lookup: a store may have changed since. */
  function showFreshness(doc: RegistryDocument, selection: FeatureSelection) {
    const fromServer = serverRegistry();
    replace(
      freshnessBox,
      ...viewsRead(doc, selection).map((view) => h('div', { class: 'freshness-view' }, h('strong', {}, view), freshnessLines(doc, view, fromServer))),
    );
  }

  async function lookUp() {
    messages.clear();
    replace(results);
    try {
      const selection = picker.selection();
      const doc = await featureStore.registryDocument();
      // The columns of this selection, not of the last drawn keys: a pick may still be redrawing them.
      const entities = Object.fromEntries(
        requiredEntityColumns(doc, selection).map(({ column }) => {
          const input = inputs.get(column);
          if (!input) throw new Error(`Entity keys: enter values for ${column}`);
          return [column, parseValues(column, input.value)];
        }),
      );
      const lengths = new Set(Object.values(entities).map((v) => v.length));
      if (lengths.size > 1)
        throw new Error(
          `Entity keys: every column needs the same number of values, got ${Object.entries(entities)
            .map(([k, v]) => `${k}: ${v.length}`)
            .join(', ')}`,
        );
      const count = [...lengths][0] ?? 0;
      const entityRows = Array.from({ length: count }, (_, i) => Object.fromEntries(Object.entries(entities).map(([k, v]) => [k, v[i]])));
      lastLookup = { entityRows, views: viewsRead(doc, selection) };
      showFreshness(doc, selection);
      const body = { ...(selection.featureService ? { feature_service: selection.featureService } : { features: selection.features }), entities };
      if (fromServer.checked) {
        if (origin.value.trim() !== serverOrigin()) origin.value = setServerOrigin(origin.value);
        replace(results, await serverAnswer(body));
        return;
      }
      const now = asOf.value.trim();
      if (now !== '' && Number.isNaN(Date.parse(now)))
        throw new Error(`As of: expected an ISO 8601 instant such as 2021-04-12T12:00:00Z, or empty for now; got '${now}'`);
      replace(results, await browserAnswer(selection, entityRows, now === '' ? undefined : new Date(now).toISOString()), await serviceWorkerAnswer(body));
    } catch (error) {
      messages.error(error);
    }
  }

  /** The latest end of the views' materialization intervals in this browser: the instant materialized rows were current at. */
  async function asOfMaterialized() {
    const ends = Object.values((await featureStore.registryDocument()).featureViews)
      .flatMap((v) => v.materializationIntervals.map((i) => i.end))
      .sort();
    if (ends.length === 0) {
      messages.error(new Error(`No view has been materialized into ${browserStoreLabel(servedNow())} yet: run Materialize first.`));
      return;
    }
    fromBrowser.checked = true;
    syncSource();
    asOf.value = ends[ends.length - 1];
  }

  async function restamp() {
    if (!lastLookup) return;
    const store = target();
    try {
      const written = await restampOnlineRows(await featureStore.registryDocument(), lastLookup.views, lastLookup.entityRows, store);
      await lookUp();
      messages.notice(
        `Re-stamped as of now in ${store.label}: ${
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
  for (const radio of [fromBrowser, fromServer]) radio.addEventListener('change', syncSource);
  origin.addEventListener('change', () => {
    try {
      origin.value = setServerOrigin(origin.value);
      fromServer.checked = true;
      syncSource();
      void refreshKeys();
    } catch (error) {
      messages.error(error);
    }
  });
  window.addEventListener('feast-store-opened', () => {
    browserName.textContent = browserStoreLabel(servedNow());
    syncSource();
  });
  syncSource();
  const element = h(
    'div',
    {},
    h('h1', {}, 'Online features'),
    h(
      'p',
      { class: 'muted' },
      "Feature vectors from one online store, named on each answer. Statuses are Feast's: PRESENT, NULL_VALUE, NOT_FOUND, OUTSIDE_MAX_AGE (the view's ttl is enforced at read time: a row older than it reads OUTSIDE_MAX_AGE).",
    ),
    picker.element,
    h('fieldset', { class: 'picker' }, h('legend', {}, 'Entity keys (comma-separated, one value per entity row)'), keys),
    h(
      'fieldset',
      { class: 'picker' },
      h('legend', {}, 'Read from'),
      h('label', {}, fromBrowser, ' ', browserName, h('span', { class: 'muted' }, ' (the Web Worker; the Service Worker answers fetch() from the same store)')),
      h(
        'label',
        {},
        fromServer,
        ' the server at ',
        origin,
        h('span', { class: 'muted' }, " (Feast's POST /get-online-features; its own online store, LMDB for npm start)"),
      ),
    ),
    h(
      'p',
      {},
      h('label', {}, 'As of ', asOf),
      ' ',
      h('button', { type: 'button', 'data-testid': 'online-as-of-materialized', onclick: () => asOfMaterialized() }, 'End of the last materialization'),
      asOfNote,
    ),
    h(
      'p',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', 'data-testid': 'online-lookup', onclick: () => lookUp() }, 'Look up'),
      ' ',
      restampButton,
    ),
    h('details', { class: 'freshness-panel', open: true }, h('summary', {}, 'Freshness of the views read, per store'), freshnessBox),
    messages.element,
    results,
  );
  return {
    title: 'Online',
    element,
    async show(query) {
      try {
        await storeReady();
        picker.update(await featureStore.registryDocument());
        if (query.get('service') || query.get('view')) picker.choose({ service: query.get('service'), view: query.get('view') });
        await refreshKeys();
        syncSource();
      } catch (error) {
        messages.error(error);
      }
    },
  };
}
