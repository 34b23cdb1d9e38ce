import { formatValue } from './format.js';
import { h } from './dom.js';

/** A cell's exact value for tests and copy: ISO instants, integers without rounding, full float precision. */
function exactValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** An HTML table of rows; each cell shows a rounded value and keeps the exact one in `data-value`. */
export function dataTable(columns: readonly string[], rows: readonly (readonly unknown[])[], options: { caption?: string; testId?: string } = {}): HTMLElement {
  const table = h(
    'table',
    { class: 'data', 'data-testid': options.testId },
    options.caption ? h('caption', {}, options.caption) : null,
    h('thead', {}, h('tr', {}, ...columns.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          {},
          ...row.map((value) =>
            h('td', { 'data-value': exactValue(value), class: value === null || value === undefined ? 'null' : undefined }, formatValue(value)),
          ),
        ),
      ),
    ),
  );
  return h('div', { class: 'table-scroll' }, table);
}
