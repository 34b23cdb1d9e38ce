import type { WorkerHistoricalRequest } from '../../../src/runtime/worker/feature-store-api.js';
import type { Page } from '../page.js';
import { requiredEntityColumns } from '../registry-model.js';
import { featureStore, storeReady } from '../store-client.js';
import { firstRows } from '../ui/arrow-rows.js';
import { dataTable } from '../ui/data-table.js';
import { h, replace } from '../ui/dom.js';
import { objectHref } from '../ui/objects.js';
import { download } from '../ui/download.js';
import { featurePicker } from '../ui/feature-picker.js';
import { formatCount, formatMs } from '../ui/format.js';
import { longWork } from '../ui/long-work.js';
import { messageBox } from '../ui/messages.js';
import { entityRowsInput } from './entity-rows-input.js';

const SHOWN_ROWS = 100;

/** Builds a point-in-time correct training set in the worker: entity rows, features, the join, then download or save. */
export function createTrainingPage(): Page {
  const messages = messageBox();
  const picker = featurePicker('training');
  const entityRows = entityRowsInput(() => messages.clear());
  const fullNames = h('input', { type: 'checkbox', 'data-testid': 'full-feature-names' });
  const work = longWork('training');
  const result = h('div', { 'data-testid': 'training-result' });
  const datasetName = h('input', { type: 'text', value: 'my_training_set', 'data-testid': 'dataset-name', size: 20 });
  const outputs = h(
    'div',
    { class: 'actions', hidden: true },
    h('button', { type: 'button', 'data-testid': 'download-csv', onclick: () => exportAs('csv') }, 'Download CSV'),
    ' ',
    h('button', { type: 'button', 'data-testid': 'download-parquet', onclick: () => exportAs('parquet') }, 'Download Parquet'),
    ' ',
    h('label', {}, 'dataset name ', datasetName),
    ' ',
    h('button', { type: 'button', 'data-testid': 'save-dataset', onclick: () => save() }, 'Save as dataset'),
  );
  const runButton = h('button', { type: 'button', class: 'primary', 'data-testid': 'run-join', onclick: () => run() }, 'Run point-in-time join');
  let lastRequest: WorkerHistoricalRequest | undefined;

  async function request(): Promise<{ request: WorkerHistoricalRequest; label: string }> {
    const selection = picker.selection();
    const doc = await featureStore.registryDocument();
    const { entityDf, label } = await entityRows.entityDf(requiredEntityColumns(doc, selection));
    return { request: { entityDf, ...selection, fullFeatureNames: fullNames.checked }, label };
  }

  async function run() {
    if (work.running) return;
    messages.clear();
    outputs.hidden = true;
    runButton.disabled = true;
    // The last result goes: a table left on screen would read as this run's.
    replace(result);
    delete result.dataset.rows;
    try {
      const { request: built, label } = await request();
      const started = performance.now();
      const table = await work.run((options) => featureStore.getHistoricalFeatures(built, options));
      const wall = performance.now() - started;
      lastRequest = built;
      const rows = firstRows(table.ipc, SHOWN_ROWS);
      replace(
        result,
        h(
          'p',
          { 'data-testid': 'training-summary' },
          `${formatCount(table.numRows)} rows × ${table.columns.length} columns from ${label}`,
          h('span', { class: 'volatile' }, `; joined in ${formatMs(table.elapsedMs)} in the worker (${formatMs(wall)} end to end)`),
          '.',
          table.numRows > SHOWN_ROWS ? ` The first ${SHOWN_ROWS} rows:` : '',
        ),
        dataTable(rows.columns, rows.rows, { testId: 'training-rows' }),
      );
      result.dataset.rows = String(table.numRows);
      outputs.hidden = false;
    } catch (error) {
      messages.error(error);
    } finally {
      runButton.disabled = false;
    }
  }

  async function exportAs(format: 'csv' | 'parquet') {
    if (!lastRequest) return;
    try {
      // A picked file was handed to the worker by reference; the bytes of the example file were copied, so the request can run again.
      const bytes = await work.run((options) => featureStore.exportHistoricalFeatures(lastRequest!, format, options));
      download(bytes, `training_set.${format}`, format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet');
    } catch (error) {
      messages.error(error);
    }
  }

  async function save() {
    if (!lastRequest) return;
    try {
      const name = datasetName.value.trim();
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name))
        throw new Error(`Dataset name: '${name}' is not a name (letters, digits, _ and -, not starting with a digit)`);
      const saved = await featureStore.saveDataset(lastRequest, name, { allowOverwrite: true });
      replace(
        messages.element,
        h(
          'p',
          { class: 'notice', 'data-testid': 'dataset-saved' },
          `Saved ${formatCount(saved.rowCount ?? 0)} rows as dataset '${saved.name}'. `,
          h('a', { href: objectHref('savedDataset', saved.name) }, 'See it in the registry'),
        ),
      );
    } catch (error) {
      messages.error(error);
    }
  }

  const element = h(
    'div',
    {},
    h('h1', {}, 'Training set'),
    h(
      'p',
      { class: 'muted' },
      "Each entity row gets, per feature view, the latest feature row at or before its event_timestamp and within the view's ttl (Feast's point-in-time join), computed by DuckDB in a Web Worker.",
    ),
    entityRows.element,
    picker.element,
    h('p', {}, h('label', {}, fullNames, ' full feature names (view__feature)')),
    h('p', {}, runButton),
    work.element,
    messages.element,
    outputs,
    result,
  );
  return {
    title: 'Training set',
    element,
    async show(query) {
      try {
        await storeReady();
        picker.update(await featureStore.registryDocument());
        if (query.get('service') || query.get('view')) picker.choose({ service: query.get('service'), view: query.get('view') });
      } catch (error) {
        messages.error(error);
      }
    },
  };
}
