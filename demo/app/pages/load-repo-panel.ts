import type { RegistryDocument } from '../../../src/registry/document.js';
import type { OpenResult } from '../../../src/runtime/worker/feature-store-api.js';
import { unavailableView } from '../registry-model.js';
import type { KeptSource } from '../../../src/runtime/worker/feature-store-api.js';
import { featureStore, registryImported, restoreExampleRepo, storeReady, useFeastOnlineStore } from '../store-client.js';
import { h, replace } from '../ui/dom.js';
import { messageBox } from '../ui/messages.js';

function formatOf(file: File): 'parquet' | 'csv' | undefined {
  const name = file.name.toLowerCase();
  if (name.endsWith('.parquet') || name.endsWith('.pq')) return 'parquet';
  if (name.endsWith('.csv')) return 'csv';
  return undefined;
}

/** feast-edge's registry.json (checked by the worker, which names a bad field). */
async function readRegistryJson(file: File): Promise<RegistryDocument> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch (error) {
    throw new Error(`${file.name}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const doc = parsed as Partial<RegistryDocument> | null;
  if (!doc || typeof doc !== 'object' || doc.formatVersion !== 1 || typeof doc.featureViews !== 'object') {
    throw new Error(
      `${file.name}: not a feast-edge registry (expected the data/registry.json that \`feast-edge apply\` writes, with formatVersion 1 and featureViews, or Feast's registry.db)`,
    );
  }
  return doc as RegistryDocument;
}

/** Imports a registry file: Feast's registry.db (protobuf) or feast-edge's registry.json, told apart by their first byte. */
async function importRegistryFile(file: File): Promise<OpenResult> {
  const first = new Uint8Array(await file.slice(0, 1).arrayBuffer())[0];
  // A JSON document starts with '{' (after any whitespace); a serialized feast.core.Registry never does.
  const isJson = file.name.toLowerCase().endsWith('.json') || first === 0x7b;
  return isJson ? featureStore.importRegistry(await readRegistryJson(file)) : featureStore.importFeastRegistry(file);
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** What an imported registry holds, and what of it cannot run here. */
function summary(fileName: string, doc: RegistryDocument): string {
  const python = Object.keys(doc.onDemandFeatureViews).filter((name) => unavailableView(doc, name));
  return [
    `Imported ${fileName}: project '${doc.project.name}', ${count(Object.keys(doc.featureViews).length, 'feature view')}`,
    `, ${count(Object.keys(doc.onDemandFeatureViews).length, 'on-demand view')}`,
    python.length ? ` (Python, each needs a TypeScript transform: ${python.join(', ')})` : '',
    `, ${count(Object.keys(doc.featureServices).length, 'feature service')}. Now pick its data files.`,
  ].join('');
}

/**
 * Loads a user's own repo: its registry (Feast's registry.db or feast-edge's
 * registry.json) replaces the registry and the app serves its project; Feast's
 * online_store.db, if given, becomes the online store (kept across reloads); picked data
 * files stand in for the file sources, matched by file name to each source's path.
 */
export function loadRepoPanel(onChanged: () => void): HTMLElement {
  const messages = messageBox();
  const files = h('div', { class: 'file-sources' });

  const registryInput = h('input', {
    type: 'file',
    accept: '.db,.json,application/json,application/octet-stream',
    'data-testid': 'registry-file',
    onchange: async () => {
      const file = registryInput.files?.[0];
      if (!file) return;
      try {
        await storeReady();
        registryImported(await importRegistryFile(file));
        messages.notice(summary(file.name, await featureStore.registryDocument()));
        await showKept();
        onChanged();
      } catch (error) {
        messages.error(error);
      }
    },
  });

  const onlineInput = h('input', {
    type: 'file',
    accept: '.db,.sqlite,.sqlite3',
    'data-testid': 'online-store-file',
    onchange: async () => {
      const file = onlineInput.files?.[0];
      if (!file) return;
      try {
        const opened = await useFeastOnlineStore(file);
        const keptIn = opened.onlineStore.type === 'feast-sqlite' ? opened.onlineStore.keptIn : 'IndexedDB';
        messages.notice(
          `Serving ${file.name} as the online store of project '${opened.project}' (Feast's SQLite layout, kept in ${keptIn === 'opfs' ? 'OPFS' : 'IndexedDB'}): the Online page reads it and Materialize writes into it.`,
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
            let keptIn: KeptSource['keptIn'] = 'opfs';
            for (const { file, format, select } of rows) {
              if (!select.value) continue;
              if (!format) throw new Error(`${file.name}: unknown format; name the file .parquet or .csv`);
              const kept = await featureStore.registerSource(select.value, { file, format }, { keep: true });
              done.push(`${select.value} ← ${file.name}`);
              if (kept) keptIn = kept.keptIn;
            }
            messages.notice(
              done.length
                ? `Registered ${done.join(', ')}, kept in this browser (${keptIn === 'opfs' ? 'OPFS' : 'IndexedDB'}): a reload reads them again.`
                : 'No file was matched to a source.',
            );
            await showKept();
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
      'data-testid': 'back-to-example',
      onclick: async () => {
        try {
          await restoreExampleRepo();
          location.reload();
        } catch (error) {
          messages.error(error);
        }
      },
    },
    'Back to the example repo',
  );

  /** The files kept for the served project's sources (by this visit or an earlier one). */
  const kept = h('p', { class: 'muted', 'data-testid': 'kept-sources' });
  async function showKept() {
    const list = await featureStore.keptSources();
    replace(
      kept,
      list.length === 0
        ? ''
        : `Kept in this browser for the sources: ${list.map((k) => `${k.source} ← ${k.fileName} (${k.keptIn === 'opfs' ? 'OPFS' : 'IndexedDB'})`).join(', ')}.`,
    );
  }
  void storeReady()
    .then(showKept)
    .catch(() => undefined);

  return h(
    'details',
    { class: 'panel' },
    h('summary', {}, 'Load your own repo'),
    h(
      'p',
      {},
      'Pick the registry of a Feast repo (',
      h('code', {}, 'data/registry.db'),
      ', as ',
      h('code', {}, 'feast apply'),
      ' writes it) or of a feast-edge repo (',
      h('code', {}, 'data/registry.json'),
      '); optionally its SQLite online store (',
      h('code', {}, 'data/online_store.db'),
      ', after ',
      h('code', {}, 'feast materialize'),
      '); then its Parquet or CSV files (kept in this browser, so a reload reads them again). The app then serves that project. Everything stays in this browser.',
    ),
    h('label', {}, 'registry.db or registry.json ', registryInput),
    h('label', {}, 'online_store.db (optional) ', onlineInput),
    h('label', {}, 'data files ', dataInput),
    files,
    kept,
    h(
      'p',
      {},
      useExample,
      h('span', { class: 'muted' }, ' serves the example as on a first visit: its registry applied afresh, nothing materialized, no files kept.'),
    ),
    messages.element,
  );
}
