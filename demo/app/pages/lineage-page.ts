import type { Page } from '../page.js';
import { lineageEdges, registryObjects } from '../registry-relations.js';
import { featureStore, storeReady } from '../store-client.js';
import { h, replace } from '../ui/dom.js';
import { lineageGraph } from '../ui/lineage-graph.js';
import { messageBox } from '../ui/messages.js';

/** Every object of the registry in one graph: entities and sources, views, on-demand views, services, saved datasets. */
export function createLineagePage(): Page {
  const messages = messageBox();
  const graph = h('div', { class: 'lineage-scroll', 'data-testid': 'lineage' });
  const element = h(
    'div',
    {},
    h('h1', {}, 'Lineage'),
    h(
      'p',
      { class: 'muted' },
      'What feeds what, left to right: entities and data sources, push sources, feature views, on-demand views, feature services and the datasets saved from them. Each box opens its page.',
    ),
    messages.element,
    graph,
  );
  return {
    title: 'Lineage',
    element,
    async show() {
      try {
        await storeReady();
        const doc = await featureStore.registryDocument();
        replace(graph, lineageGraph(doc, registryObjects(doc), lineageEdges(doc)));
        messages.clear();
      } catch (error) {
        messages.error(error);
      }
    },
  };
}
