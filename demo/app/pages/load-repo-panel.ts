import type { RegistryDocument } from '../../../src/registry/document.js';
import { featureStore, markImportedRegistry, storeReady } from '../store-client.js';
import { h, replace } from '../ui/dom.js';
import { messageBox } from '../ui/messages.js';

function formatOf(file: File): 'parquet' | 'csv' | undefined {
  const name = file.name.toLowerCase();
  if (name.endsWith('.parquet') || name.endsWith('.pq')) return 'parquet';
  if (name.endsWith('.csv')) return 'csv';
  return undefined;
}

async function readRegistry(file: File): Promise<RegistryDocument> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch (error) {
    throw new Error(`${file.name}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const doc = parsed as Partial<RegistryDocument> | null;
  if (!doc || typeof doc !== 'object' || doc.formatVersion !== 1 || typeof doc.featureViews !== 'object') {
    throw new Error(
      `${file.name}: not a feast-edge registry (expected the data/registry.json that \`feast-edge apply\` writes, with formatVersion 1 and featureViews)`,
    );
  }
  return doc as RegistryDocument;
}

/**
 * Loads a user's own repo: its registry.json replaces the registry (no on-demand
 * transforms run: their code is not in the file), and picked data files stand in for
 * the file sources, matched by file name to each source's path.
 */
export function loadRepoPanel(onChanged: () => void): HTMLElement {
  const messages = messageBox();
  const files = h('div', { class: 'file-sources' });

  const registryInput = h('input', {
    type: 'file',
    accept: '.json,application/json',
    'data-testid': 'registry-file',
    onchange: async () => {
      const file = registryInput.files?.[0];
      if (!file) return;
      try {
        const doc = await readRegistry(file);
        await storeReady();
        await featureStore.importRegistry(doc);
        markImportedRegistry(true);
        messages.notice(
          `Imported ${file.name}: project '${doc.project?.name}', ${Object.keys(doc.featureViews).length} feature views. Now pick its data files.`,
        );
        onChanged();
      } catch (error) {
        messages.error(error);
      }
    },
  });

  const dataInput = h('input', {
    type: 'file',
    multiple: true,
    accept: '.parquet,.pq,.csv',
    'data-testid': 'data-files',
    onchange: async () => {
      const picked = [...(dataInput.files ?? [])];
      if (picked.length === 0) return;
      try {
        await storeReady();
        const doc = await featureStore.registryDocument();
        const sources = Object.values(doc.dataSources).flatMap(({ spec }) => (spec.kind === 'fileSource' ? [spec] : []));
        const rows = picked.map((file) => {
          const format = formatOf(file);
          const guess = sources.find((s) => s.path.split('/').pop() === file.name)?.name ?? '';
          const select = h(
            'select',
            {},
            h('option', { value: '' }, '(not used)'),
            ...sources.map((s) => h('option', { value: s.name, selected: s.name === guess }, `${s.name} (${s.path})`)),
          );
          return { file, format, select };
        });
        const register = async () => {
          try {
            const done: string[] = [];
            for (const { file, format, select } of rows) {
              if (!select.value) continue;
              if (!format) throw new Error(`${file.name}: unknown format; name the file .parquet or .csv`);
              await featureStore.registerSource(select.value, { file, format });
              done.push(`${select.value} ← ${file.name}`);
            }
            messages.notice(
              done.length ? `Registered ${done.join(', ')} (for this visit; pick them again after a reload).` : 'No file was matched to a source.',
            );
            onChanged();
          } catch (error) {
            messages.error(error);
          }
        };
        replace(
          files,
          h('table', { class: 'data' }, h('tbody', {}, ...rows.map(({ file, select }) => h('tr', {}, h('td', {}, file.name), h('td', {}, select))))),
          h('button', { type: 'button', onclick: register }, 'Use these files'),
        );
      } catch (error) {
        messages.error(error);
      }
    },
  });

  const useExample = h(
    'button',
    {
      type: 'button',
      onclick: () => {
        markImportedRegistry(false);
        location.reload();
      },
    },
    'Back to the example repo',
  );

  return h(
    'details',
    { class: 'panel' },
    h('summary', {}, 'Load your own repo'),
    h(
      'p',
      {},
      'Pick the ',
      h('code', {}, 'data/registry.json'),
      ' of a repo (written by ',
      h('code', {}, 'feast-edge apply'),
      '), then its Parquet or CSV files. Everything stays in this browser.',
    ),
    h('label', {}, 'registry.json ', registryInput),
    h('label', {}, 'data files ', dataInput),
    files,
    useExample,
    messages.element,
  );
}
