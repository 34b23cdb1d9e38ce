import { entryOf, streamViewsOf, type RegistryDocument } from '../../../src/registry/document.js';
import type { Page } from '../page.js';
import { KIND_LABEL, kindOfRoute, type ObjectKind } from '../registry-relations.js';
import { featureStore, storeReady } from '../store-client.js';
import { h, pageLink, replace } from '../ui/dom.js';
import { messageBox } from '../ui/messages.js';
import { dataSourcePage, entityPage, featureServicePage, savedDatasetPage } from './objects/other-pages.js';
import { featureViewPage, onDemandViewPage, streamViewPage } from './objects/view-pages.js';

type Render = (doc: RegistryDocument, name: string) => (Node | string | null | undefined | false)[];

const PAGES: Readonly<Record<ObjectKind, { collection: (doc: RegistryDocument) => Readonly<Record<string, unknown>>; render: Render }>> = {
  entity: { collection: (d) => d.entities, render: entityPage },
  dataSource: { collection: (d) => d.dataSources, render: dataSourcePage },
  featureView: { collection: (d) => d.featureViews, render: featureViewPage },
  onDemandFeatureView: { collection: (d) => d.onDemandFeatureViews, render: onDemandViewPage },
  streamFeatureView: { collection: (d) => streamViewsOf(d), render: streamViewPage },
  featureService: { collection: (d) => d.featureServices, render: featureServicePage },
  savedDataset: { collection: (d) => d.savedDatasets, render: savedDatasetPage },
};

/**
 * The page of one registry object (Feast's UI has one per object): `#/<kind>/<name>`, e.g.
 * `#/feature-view/driver_hourly_stats`. The route's kind and name arrive as the query's
 * `kind` (route form) and `name`.
 */
export function createObjectPage(): Page {
  const messages = messageBox();
  const content = h('div', { 'data-testid': 'object-page' });
  const element = h('div', { class: 'object-page' }, messages.element, content);
  const page = {
    title: 'Registry',
    element,
    async show(query: URLSearchParams) {
      const kind = kindOfRoute(query.get('kind') ?? '');
      const name = query.get('name') ?? '';
      messages.clear();
      try {
        await storeReady();
        const doc = await featureStore.registryDocument();
        if (!kind) throw new Error(`no kind of object '${query.get('kind')}'`);
        page.title = `${name} (${KIND_LABEL[kind].one})`;
        document.title = `${page.title} · feast-edge demo`;
        const collection = PAGES[kind].collection(doc);
        if (!entryOf(collection, name)) {
          const names = Object.keys(collection).sort();
          replace(
            content,
            h('h1', {}, name),
            h(
              'p',
              { class: 'error', role: 'alert', 'data-testid': 'error' },
              `Project '${doc.project.name}' has no ${KIND_LABEL[kind].one} '${name}'; ${KIND_LABEL[kind].many.toLowerCase()}: ${names.join(', ') || 'none'}.`,
            ),
            pageLink('Back to the registry', 'registry'),
          );
          return;
        }
        replace(
          content,
          h('p', { class: 'breadcrumb' }, pageLink(`Project ${doc.project.name}`, 'registry'), ` › ${KIND_LABEL[kind].many}`),
          ...PAGES[kind].render(doc, name),
        );
        content.dataset.object = `${kind}:${name}`;
      } catch (error) {
        messages.error(error);
      }
    },
  };
  return page;
}
