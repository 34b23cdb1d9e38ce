import type { RegistryDocument } from '../../../src/registry/document.js';
import { freshness } from '../freshness.js';
import type { Page } from '../page.js';
import { unavailableView } from '../registry-model.js';
import { KIND_LABEL, KINDS, registryObjects, searchObjects, type ObjectKind, type RegistryObject } from '../registry-relations.js';
import { featureStore, servedNow, storeReady } from '../store-client.js';
import { browserStoreLabel } from '../store-label.js';
import { append, h, replace } from '../ui/dom.js';
import { messageBox } from '../ui/messages.js';
import { objectLink, tagChips } from '../ui/objects.js';
import { loadRepoPanel } from './load-repo-panel.js';

/** A kind's extra column: what a person scans a list of them for. */
function extraColumn(doc: RegistryDocument, kind: ObjectKind): { title: string; cell: (o: RegistryObject) => string } {
  if (kind === 'featureView')
    return {
      title: `online freshness (${browserStoreLabel(servedNow())})`,
      cell: (o) => {
        const stored = doc.featureViews[o.name];
        return freshness(stored.spec, stored.materializationIntervals, Date.now()).text;
      },
    };
  if (kind === 'onDemandFeatureView')
    return { title: 'transform', cell: (o) => (unavailableView(doc, o.name) ? 'Python: needs a TypeScript transform' : 'TypeScript') };
  return { title: 'what', cell: (o) => o.detail };
}

function section(doc: RegistryDocument, kind: ObjectKind, objects: readonly RegistryObject[]): HTMLElement | null {
  if (objects.length === 0) return null;
  const extra = extraColumn(doc, kind);
  return h(
    'section',
    { class: 'registry-section', id: `section-${kind}` },
    h('h2', {}, `${KIND_LABEL[kind].many} (${objects.length})`),
    h(
      'div',
      { class: 'table-scroll' },
      h(
        'table',
        { class: 'data objects' },
        h('thead', {}, h('tr', {}, ...['name', 'description', 'tags', 'owner', extra.title].map((c) => h('th', { scope: 'col' }, c)))),
        h(
          'tbody',
          {},
          ...objects.map((o) =>
            h(
              'tr',
              { 'data-testid': `${kind}-${o.name}` },
              h('td', {}, objectLink(kind, o.name)),
              h('td', { class: 'wrap' }, o.description),
              h('td', {}, tagChips(o.tags)),
              h('td', {}, o.owner),
              h('td', { class: 'wrap' }, extra.cell(o)),
            ),
          ),
        ),
      ),
    ),
  );
}

/** Counts per kind (and of features), each a link to its list: Feast's overview. */
function counts(doc: RegistryDocument, objects: readonly RegistryObject[]): HTMLElement {
  const features =
    Object.values(doc.featureViews).reduce((n, v) => n + v.spec.features.length, 0) +
    Object.values(doc.onDemandFeatureViews).reduce((n, v) => n + v.spec.features.length, 0);
  return h(
    'div',
    { class: 'stats', 'data-testid': 'registry-counts' },
    ...KINDS.map((kind) => {
      const n = objects.filter((o) => o.kind === kind).length;
      return h('a', { class: 'stat', href: `#/registry?q=&kind=${kind}` }, h('strong', {}, String(n)), KIND_LABEL[kind].many);
    }),
    h('span', { class: 'stat' }, h('strong', {}, String(features)), 'Features'),
  );
}

/** The registry's overview: the project, counts, search over names, descriptions, owners, features and tags, and every object listed with its tags. */
export function createRegistryPage(): Page {
  const messages = messageBox();
  const search = h('input', {
    type: 'search',
    placeholder: 'Search names, descriptions, features, owners, tags (team:ranking)',
    size: 56,
    'data-testid': 'registry-search',
  });
  const header = h('div', {});
  const results = h('div', { 'data-testid': 'registry' }, h('p', { class: 'muted' }, 'Loading the registry…'));
  const element = h('div', {}, h('h1', {}, 'Registry'), messages.element, header, h('p', { class: 'search' }, search), results);
  let doc: RegistryDocument | undefined;
  let onlyKind: string | null = null;

  const draw = () => {
    if (!doc) return;
    const objects = registryObjects(doc);
    const found = searchObjects(objects, search.value).filter((o) => !onlyKind || o.kind === onlyKind);
    const query = search.value.trim();
    replace(
      results,
      query || onlyKind
        ? h(
            'p',
            { class: 'muted', 'data-testid': 'registry-matches' },
            `${found.length} of ${objects.length} objects match${query ? ` '${query}'` : ''}${onlyKind ? ` (${KIND_LABEL[onlyKind as ObjectKind].many.toLowerCase()})` : ''}.`,
          )
        : null,
      ...KINDS.map((kind) =>
        section(
          doc!,
          kind,
          found.filter((o) => o.kind === kind),
        ),
      ),
    );
  };
  search.addEventListener('input', () => {
    onlyKind = null;
    // The query stays in the address, so a search can be linked to (tags link to one).
    history.replaceState(null, '', `#/registry${search.value ? `?q=${encodeURIComponent(search.value)}` : ''}`);
    draw();
  });

  const refresh = async (query?: URLSearchParams) => {
    try {
      await storeReady();
      doc = await featureStore.registryDocument();
      if (query) {
        search.value = query.get('q') ?? '';
        onlyKind = query.get('kind');
      }
      const { project } = doc;
      replace(
        header,
        h(
          'p',
          {},
          'Project ',
          h('strong', { 'data-testid': 'project-name' }, project.name),
          project.description ? ` — ${project.description}` : '',
          " · this browser's registry (IndexedDB, in the Web Worker)",
          h('span', { class: 'volatile' }, ` · version ${doc.version}, updated ${doc.lastUpdatedAt}`),
        ),
        counts(doc, registryObjects(doc)),
      );
      draw();
      messages.clear();
    } catch (error) {
      messages.error(error);
    }
  };
  append(
    element,
    loadRepoPanel(() => refresh()),
  );
  return { title: 'Registry', element, show: (query) => refresh(query) };
}
