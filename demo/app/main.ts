import './styles.css';
import type { OpenResult } from '../../src/runtime/worker/feature-store-api.js';
import { registerOfflineSupport } from './offline-support.js';
import type { Page } from './page.js';
import { createLineagePage } from './pages/lineage-page.js';
import { createMaterializePage } from './pages/materialize-page.js';
import { createObjectPage } from './pages/object-page.js';
import { createOnlinePage } from './pages/online-page.js';
import { createPreviewPage } from './pages/preview-page.js';
import { createRegistryPage } from './pages/registry-page.js';
import { createTrainingPage } from './pages/training-page.js';
import { kindOfRoute } from './registry-relations.js';
import { storeReady } from './store-client.js';
import { browserStoreLabel } from './store-label.js';
import { h, replace } from './ui/dom.js';
import { errorText } from './ui/messages.js';

const PAGES: Readonly<Record<string, { label: string; create: () => Page; hidden?: boolean }>> = {
  registry: { label: 'Registry', create: createRegistryPage },
  lineage: { label: 'Lineage', create: createLineagePage },
  preview: { label: 'Feature preview', create: createPreviewPage },
  training: { label: 'Training set', create: createTrainingPage },
  materialize: { label: 'Materialize', create: createMaterializePage },
  online: { label: 'Online', create: createOnlinePage },
  // One page per registry object, `#/feature-view/<name>` and the like; listed under Registry.
  object: { label: 'Registry', create: createObjectPage, hidden: true },
};
const built = new Map<string, Page>();
const main = document.getElementById('page')!;
const nav = document.getElementById('nav')!;
const storeStatus = document.getElementById('store-status')!;
const offlineStatus = document.getElementById('offline-status')!;

replace(
  nav,
  ...Object.entries(PAGES)
    .filter(([, page]) => !page.hidden)
    .map(([route, { label }]) => h('a', { href: `#/${route}`, 'data-route': route }, label)),
);

/**
 * Routes are `#/<page>?<query>`, and `#/<kind>/<name>` for a registry object (its kind and
 * name passed on as the query): every page is the same document, so the cached shell
 * serves them all offline.
 */
function route(): void {
  const [path, search = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const query = new URLSearchParams(search);
  const [first, ...rest] = path.split('/');
  const objectRoute = rest.length > 0 && kindOfRoute(first) !== undefined;
  if (objectRoute) {
    query.set('kind', first);
    query.set('name', decodeURIComponent(rest.join('/')));
  }
  const name = objectRoute ? 'object' : path in PAGES ? path : 'registry';
  let page = built.get(name);
  if (!page) built.set(name, (page = PAGES[name].create()));
  if (main.firstChild !== page.element) replace(main, page.element);
  const current = name === 'object' ? 'registry' : name;
  for (const link of nav.querySelectorAll('a')) link.toggleAttribute('aria-current', link.dataset.route === current);
  document.title = `${page.title} · feast-edge demo`;
  document.body.dataset.page = name;
  void page.show(query);
}

window.addEventListener('hashchange', route);
route();

/** The header names what serves: the project, and Feast's online_store.db when that is the online store. */
window.addEventListener('feast-store-opened', (event) => {
  const opened = (event as CustomEvent<OpenResult>).detail;
  storeStatus.textContent = `project ${opened.project} · online store: ${browserStoreLabel(opened)}`;
});
storeReady().then(
  () => {
    document.body.dataset.store = 'ready';
  },
  (error: unknown) => {
    storeStatus.textContent = `the feature store did not start: ${errorText(error)}`;
    storeStatus.classList.add('error');
    document.body.dataset.store = 'failed';
  },
);
void registerOfflineSupport((state) => {
  offlineStatus.textContent = state === 'offline-ready' ? 'works offline' : state;
  document.body.dataset.offline = state;
});
const network = () => {
  document.body.dataset.network = navigator.onLine ? 'online' : 'offline';
};
window.addEventListener('online', network);
window.addEventListener('offline', network);
network();
