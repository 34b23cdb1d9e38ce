import type { OnlineWireResponse } from '../../../src/online/online-response.js';
import { h } from './dom.js';
import { formatValue } from './format.js';

/** Feast's column-major online response as one row per entity: each cell a value, its status and its event time. */
export function onlineVector(response: OnlineWireResponse, testId: string): HTMLElement {
  const names = response.metadata.feature_names;
  const count = response.results[0]?.values.length ?? 0;
  const rows = Array.from({ length: count }, (_, row) =>
    h(
      'tr',
      {},
      ...response.results.map((column, c) => {
        const status = column.statuses[row];
        const at = column.event_timestamps[row];
        return h(
          'td',
          { 'data-feature': names[c], 'data-status': status, 'data-value': JSON.stringify(column.values[row] ?? null) },
          h('span', { class: 'value' }, formatValue(column.values[row])),
          h('span', { class: `status status-${status}` }, status),
          at && !at.startsWith('1970-01-01') ? h('span', { class: 'time' }, at) : null,
        );
      }),
    ),
  );
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'data online', 'data-testid': testId },
      h('thead', {}, h('tr', {}, ...names.map((n) => h('th', { scope: 'col' }, n)))),
      h('tbody', {}, ...rows),
    ),
  );
}
