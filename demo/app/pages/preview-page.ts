import type { FeatureStatistics } from '../../../src/runtime/worker/feature-store-api.js';
import type { Page } from '../page.js';
import { featureStore, storeReady } from '../store-client.js';
import { firstRows } from '../ui/arrow-rows.js';
import { dataTable } from '../ui/data-table.js';
import { h, replace } from '../ui/dom.js';
import { formatCount, formatMs, formatValue } from '../ui/format.js';
import { histogramPlot } from '../ui/histogram-plot.js';
import { messageBox } from '../ui/messages.js';
import { objectLink } from '../ui/objects.js';
import { timePlot } from '../ui/time-plot.js';

function featureCard(stats: FeatureStatistics): HTMLElement {
  const row = (term: string, value: unknown) => [h('dt', {}, term), h('dd', {}, value === undefined ? '—' : formatValue(value))];
  return h(
    'article',
    { class: 'card feature', 'data-testid': `feature-${stats.name}` },
    h('h3', {}, stats.name, h('span', { class: 'muted' }, ` ${stats.type}`)),
    h(
      'dl',
      {},
      ...row('null share', `${(stats.nullShare * 100).toFixed(1)} %`),
      ...row('distinct', stats.distinct),
      ...row('min', stats.min),
      ...row('max', stats.max),
      ...row('mean', stats.mean),
    ),
    stats.histogram?.length ? h('figure', {}, histogramPlot(stats.histogram, stats.name), h('figcaption', {}, 'histogram')) : null,
    stats.overTime?.length ? h('figure', {}, timePlot(stats.overTime, stats.name), h('figcaption', {}, 'mean over time')) : null,
  );
}

/** Per feature view: the first rows of its source and per-feature statistics and plots, computed by DuckDB in the worker. */
export function createPreviewPage(): Page {
  const messages = messageBox();
  const select = h('select', { 'data-testid': 'preview-view' });
  const result = h('div', { 'data-testid': 'preview-result' });
  const run = async () => {
    if (!select.value) return;
    messages.notice(`Computing statistics of ${select.value}…`);
    const started = performance.now();
    try {
      const preview = await featureStore.previewFeatureView(select.value, { firstRows: 10, bins: 20 });
      const rows = firstRows(preview.firstRows.ipc, 10);
      replace(
        result,
        h(
          'p',
          {},
          `${preview.view}: ${formatCount(preview.rowCount)} source rows (`,
          objectLink('featureView', preview.view),
          ')',
          h('span', { class: 'volatile' }, `, computed in ${formatMs(performance.now() - started)}`),
          '.',
        ),
        h('h2', {}, 'First rows'),
        dataTable(rows.columns, rows.rows, { testId: 'preview-rows' }),
        h('h2', {}, 'Features'),
        h('div', { class: 'cards' }, ...preview.features.map(featureCard)),
      );
      messages.clear();
    } catch (error) {
      messages.error(error);
    }
  };
  select.addEventListener('change', () => {
    location.hash = `#/preview?view=${encodeURIComponent(select.value)}`;
  });
  const element = h(
    'div',
    {},
    h('h1', {}, 'Feature preview'),
    h('p', {}, h('label', {}, 'Feature view ', select), ' ', h('button', { type: 'button', onclick: run }, 'Refresh')),
    messages.element,
    result,
  );
  return {
    title: 'Feature preview',
    element,
    async show(query) {
      try {
        await storeReady();
        const names = Object.keys((await featureStore.registryDocument()).featureViews);
        const chosen = query.get('view') ?? (names.includes(select.value) ? select.value : names[0]);
        replace(select, ...names.map((n) => h('option', { value: n, selected: n === chosen }, n)));
        if (chosen && (chosen !== result.dataset.shown || !result.firstChild)) {
          result.dataset.shown = chosen;
          await run();
        }
      } catch (error) {
        messages.error(error);
      }
    },
  };
}
