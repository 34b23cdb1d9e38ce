import type { RegistryDocument } from '../../src/registry/document.js';
import { freshness } from './freshness.js';
import { serverLabel, serverRegistry, type ServerAnswer } from './server-client.js';
import { servedNow } from './store-client.js';
import { browserStoreLabel } from './store-label.js';
import { h, replace } from './ui/dom.js';

/** A view's freshness in the server's registry, or why there is none. */
export function serverFreshnessText(doc: RegistryDocument, answer: ServerAnswer<RegistryDocument>, viewName: string): { state: string; text: string } {
  if (!answer.ok) return { state: 'unknown', text: answer.problem };
  const served = answer.body;
  if (served.project?.name !== doc.project.name) return { state: 'unknown', text: `serves project '${served.project?.name}', not '${doc.project.name}'` };
  const stored = served.featureViews?.[viewName];
  if (!stored) return { state: 'unknown', text: `has no feature view '${viewName}'` };
  return freshness(stored.spec, stored.materializationIntervals, Date.now());
}

/**
 * Where a view's online rows stand, per store: this browser's (the registry the page
 * shows) and the server's (its own registry, GET /registry). Each line names its store,
 * so "never materialized" here and "materialized" there do not read as one contradiction.
 * A page drawing several views passes one `fromServer` answer to all of them.
 */
export function freshnessLines(doc: RegistryDocument, viewName: string, fromServer: Promise<ServerAnswer<RegistryDocument>> = serverRegistry()): HTMLElement {
  const stored = doc.featureViews[viewName];
  const local = stored ? freshness(stored.spec, stored.materializationIntervals, Date.now()) : undefined;
  const server = h('dd', { 'data-store': 'server', 'data-state': 'loading' }, 'asking…');
  const element = h(
    'dl',
    { class: 'freshness', 'data-testid': `freshness-${viewName}` },
    h('dt', {}, browserStoreLabel(servedNow())),
    h('dd', { 'data-store': 'browser', 'data-state': local?.state ?? 'unknown' }, local?.text ?? 'not a feature view'),
    h('dt', {}, serverLabel()),
    server,
  );
  void fromServer.then((answer) => {
    const line = serverFreshnessText(doc, answer, viewName);
    server.dataset.state = line.state;
    replace(server, line.text);
  });
  return element;
}
