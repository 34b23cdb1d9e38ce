import type { WorkerEntityDf } from '../../../src/runtime/worker/feature-store-api.js';
import { checkEntityColumns, csvHeader } from '../entity-file-check.js';
import { EXAMPLE_ENTITY_FILE } from '../example-repo.js';
import { generatedEntityRowsSql } from '../generated-entity-rows.js';
import type { RequiredColumn } from '../registry-model.js';
import { h } from '../ui/dom.js';

/** Where the entity rows of a training set come from: an uploaded file, the example repo's file, or rows generated in the worker. */
export function entityRowsInput(onChange: () => void): {
  element: HTMLElement;
  entityDf(required: readonly RequiredColumn[]): Promise<{ entityDf: WorkerEntityDf; label: string }>;
} {
  const name = 'entity-source';
  const radio = (value: string, checked = false) =>
    h('input', { type: 'radio', name, value, checked, 'data-testid': `entity-source-${value}`, onchange: onChange });
  const fromExample = radio('example', true);
  const fromFile = radio('file');
  const fromGenerator = radio('generate');
  const fileInput = h('input', {
    type: 'file',
    accept: '.csv,.parquet,.pq',
    'data-testid': 'entity-file',
    onchange: () => {
      fromFile.checked = true;
      onChange();
    },
  });
  const countInput = h('input', {
    type: 'number',
    min: 1,
    step: 1,
    value: 1_000_000,
    'data-testid': 'entity-count',
    oninput: () => {
      fromGenerator.checked = true;
      onChange();
    },
  });
  const element = h(
    'fieldset',
    { class: 'picker' },
    h('legend', {}, 'Entity rows'),
    h('label', {}, fromExample, " the example repo's ", h('a', { href: EXAMPLE_ENTITY_FILE, download: 'entity_df.csv' }, 'entity_df.csv')),
    h('label', {}, fromFile, ' a file (CSV or Parquet with event_timestamp and the join keys) ', fileInput),
    h('label', {}, fromGenerator, ' generate ', countInput, " rows in the worker (SQL over range(); the example repo's keys)"),
  );

  return {
    element,
    async entityDf(required) {
      if (fromGenerator.checked) {
        const count = Number(countInput.value);
        return { entityDf: { sql: generatedEntityRowsSql(count, required) }, label: `${count.toLocaleString('en-US')} generated rows` };
      }
      if (fromFile.checked) {
        const file = fileInput.files?.[0];
        if (!file) throw new Error('Entity rows: choose a CSV or Parquet file first');
        const lower = file.name.toLowerCase();
        const format = lower.endsWith('.csv') ? 'csv' : lower.endsWith('.parquet') || lower.endsWith('.pq') ? 'parquet' : undefined;
        if (!format) throw new Error(`${file.name}: unknown format; the entity file must end in .csv or .parquet`);
        if (format === 'csv') checkEntityColumns(file.name, await csvHeader(file), required);
        return { entityDf: { file, format }, label: file.name };
      }
      const response = await fetch(EXAMPLE_ENTITY_FILE);
      if (!response.ok) throw new Error(`${EXAMPLE_ENTITY_FILE}: ${response.status} ${response.statusText}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { entityDf: { bytes, format: 'csv' }, label: 'entity_df.csv (example repo)' };
    },
  };
}
