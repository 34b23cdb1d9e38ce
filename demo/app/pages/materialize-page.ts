import type { Page } from '../page.js';
import { EXAMPLE_WINDOW } from '../example-repo.js';
import { freshnessLines } from '../freshness-view.js';
import { serverRegistry } from '../server-client.js';
import { featureStore, servedNow, storeReady } from '../store-client.js';
import { browserStoreLabel } from '../store-label.js';
import { dataTable } from '../ui/data-table.js';
import { h, replace } from '../ui/dom.js';
import { formatMs } from '../ui/format.js';
import { longWork } from '../ui/long-work.js';
import { messageBox } from '../ui/messages.js';

/** `<input type="datetime-local">` holds local wall time; the store takes UTC instants, so the inputs are read as UTC. */
const toInput = (iso: string) => iso.slice(0, 16);
function fromInput(value: string, label: string): string {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) throw new Error(`${label}: enter a date and time`);
  return `${value.slice(0, 16)}:00Z`;
}

/** Copies the latest feature row per entity in a window from the offline sources into the online store (IndexedDB). */
export function createMaterializePage(): Page {
  const messages = messageBox();
  const start = h('input', { type: 'datetime-local', value: toInput(EXAMPLE_WINDOW.start), 'data-testid': 'materialize-start' });
  // Up to the next full hour from now: whatever the data's dates, the window holds the newest rows.
  const nextHour = new Date(Math.ceil(Date.now() / 3_600_000) * 3_600_000).toISOString();
  const end = h('input', {
    type: 'datetime-local',
    value: toInput(nextHour > EXAMPLE_WINDOW.end ? nextHour : EXAMPLE_WINDOW.end),
    'data-testid': 'materialize-end',
  });
  const storeName = h('span', {});
  const views = h('div', { class: 'feature-list' });
  const work = longWork('materialize');
  const result = h('div', { 'data-testid': 'materialize-result' });
  const intervals = h('div', {});

  async function showIntervals() {
    const doc = await featureStore.registryDocument();
    const rows = Object.values(doc.featureViews).map((v) => [
      v.spec.name,
      v.spec.online ? 'yes' : 'no',
      v.materializationIntervals.map((i) => `${i.start} → ${i.end}`).join('; ') || 'never',
    ]);
    storeName.textContent = browserStoreLabel(servedNow());
    const fromServer = serverRegistry();
    replace(
      intervals,
      h('h2', {}, "Materialized intervals in this browser's registry"),
      dataTable(['feature view', 'online', 'intervals'], rows, { testId: 'materialized-intervals' }),
      h('h2', {}, 'Freshness per store'),
      ...Object.values(doc.featureViews).map((v) =>
        h('div', { class: 'freshness-view' }, h('strong', {}, v.spec.name), freshnessLines(doc, v.spec.name, fromServer)),
      ),
    );
    const checked = new Set([...views.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value));
    replace(
      views,
      ...Object.values(doc.featureViews)
        .filter((v) => v.spec.online)
        .map((v) =>
          h('label', {}, h('input', { type: 'checkbox', value: v.spec.name, checked: checked.size === 0 || checked.has(v.spec.name) }), ` ${v.spec.name}`),
        ),
    );
  }

  async function materialize(incremental: boolean) {
    if (work.running) return;
    messages.clear();
    try {
      const featureViews = [...views.querySelectorAll<HTMLInputElement>('input:checked')].map((c) => c.value);
      if (featureViews.length === 0) throw new Error('Feature views: pick at least one');
      const endAt = fromInput(end.value, 'End');
      const started = performance.now();
      const written = await work.run((options) =>
        incremental
          ? featureStore.materializeIncremental({ end: endAt, featureViews }, options)
          : featureStore.materialize({ start: fromInput(start.value, 'Start'), end: endAt, featureViews }, options),
      );
      replace(
        result,
        h(
          'p',
          { 'data-testid': 'materialize-summary' },
          `Materialized ${written.reduce((n, w) => n + w.rows, 0)} rows into ${browserStoreLabel(servedNow())}`,
          h('span', { class: 'volatile' }, ` in ${formatMs(performance.now() - started)}`),
          '.',
        ),
        dataTable(
          ['feature view', 'rows written'],
          written.map((w) => [w.view, w.rows]),
        ),
      );
      await showIntervals();
    } catch (error) {
      messages.error(error);
    }
  }

  const element = h(
    'div',
    {},
    h('h1', {}, 'Materialize'),
    h(
      'p',
      { class: 'muted' },
      'Per entity, the latest row with start ≤ event time ≤ end goes to ',
      storeName,
      " (the Web Worker's online store), where the Online page and the Service Worker read it. A feature server keeps its own online store (LMDB for npm start): it materializes with `feast-edge materialize` or POST /materialize. Times are UTC.",
    ),
    h('p', {}, h('label', {}, 'start ', start), ' ', h('label', {}, 'end ', end)),
    h('fieldset', { class: 'picker' }, h('legend', {}, 'Feature views'), views),
    h(
      'p',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', 'data-testid': 'materialize-run', onclick: () => materialize(false) }, 'Materialize'),
      ' ',
      h('button', { type: 'button', 'data-testid': 'materialize-incremental', onclick: () => materialize(true) }, 'Materialize incremental (to end)'),
    ),
    work.element,
    messages.element,
    result,
    intervals,
  );
  return {
    title: 'Materialize',
    element,
    async show() {
      try {
        await storeReady();
        await showIntervals();
      } catch (error) {
        messages.error(error);
      }
    },
  };
}
