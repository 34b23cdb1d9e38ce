import type { RegistryDocument } from '../../../src/registry/document.js';
import { streamViewsOf } from '../../../src/registry/document.js';
import { formatValueType } from '../../../src/definitions/value-type.js';
import type { FeatureViewProjection } from '../../../src/definitions/index.js';
import type { Page } from '../page.js';
import { featureStore, storeReady } from '../store-client.js';
import { append, h, pageLink, replace } from '../ui/dom.js';
import { messageBox } from '../ui/messages.js';
import { loadRepoPanel } from './load-repo-panel.js';
import { NEEDS_TYPESCRIPT } from '../registry-model.js';

type Kind = 'entity' | 'dataSource' | 'featureView' | 'onDemandFeatureView' | 'streamFeatureView' | 'featureService' | 'savedDataset';

const anchor = (kind: Kind, name: string) => `${kind}-${name}`;
const link = (kind: Kind, name: string) => pageLink(name, 'registry', { focus: anchor(kind, name) });
const links = (kind: Kind, names: readonly string[]) => (names.length === 0 ? 'none' : names.flatMap((n, i) => [i ? ', ' : '', link(kind, n)]));
/** Feature services and on-demand views reading a view, 'none' only when neither does. */
const usedBy = (services: readonly string[], onDemand: readonly string[]) =>
  services.length + onDemand.length === 0
    ? ['none']
    : [
        ...(services.length ? links('featureService', services) : []),
        ...(services.length && onDemand.length ? [' · '] : []),
        ...(onDemand.length ? links('onDemandFeatureView', onDemand) : []),
      ];

function card(kind: Kind, name: string, ...rows: [string, ...(Node | string)[]][]): HTMLElement {
  return h(
    'article',
    { class: 'card', id: anchor(kind, name), 'data-testid': anchor(kind, name) },
    h('h3', {}, name),
    h('dl', {}, ...rows.flatMap(([term, ...value]) => [h('dt', {}, term), h('dd', {}, ...value)])),
  );
}

function section(title: string, cards: HTMLElement[]): HTMLElement {
  return h(
    'section',
    { class: 'registry-section' },
    h('h2', {}, `${title} (${cards.length})`),
    cards.length ? h('div', { class: 'cards' }, ...cards) : h('p', { class: 'muted' }, 'none'),
  );
}

/** Every object of the registry, each linked to the objects it uses and the ones that use it. */
function registryView(doc: RegistryDocument): HTMLElement {
  const views = Object.values(doc.featureViews).map((v) => v.spec);
  const onDemand = Object.values(doc.onDemandFeatureViews).map((v) => v.spec);
  const streams = Object.values(streamViewsOf(doc)).map((v) => v.spec);
  const services = Object.values(doc.featureServices).map((s) => s.spec);
  const servicesUsing = (view: string) => services.filter((s) => s.projections.some((p) => p.viewName === view)).map((s) => s.name);
  const onDemandUsing = (view: string) =>
    onDemand.filter((o) => (o.sources as readonly FeatureViewProjection[]).some((p) => p.viewName === view)).map((o) => o.name);
  const fields = (list: readonly { name: string; dtype: Parameters<typeof formatValueType>[0] }[]) =>
    list.map((f) => `${f.name}: ${formatValueType(f.dtype)}`).join(', ');

  return h(
    'div',
    {},
    h(
      'p',
      {},
      `Project `,
      h('strong', { 'data-testid': 'project-name' }, doc.project.name),
      doc.project.description ? ` — ${doc.project.description}` : '',
      ` · registry version ${doc.version}, updated ${doc.lastUpdatedAt}`,
    ),
    section(
      'Entities',
      Object.values(doc.entities).map(({ spec }) =>
        card(
          'entity',
          spec.name,
          ['join key', `${spec.joinKeys[0]}: ${formatValueType(spec.valueType)}`],
          ['description', spec.description ?? ''],
          [
            'feature views',
            ...links(
              'featureView',
              views.filter((v) => v.entities.includes(spec.name)).map((v) => v.name),
            ),
          ],
        ),
      ),
    ),
    section(
      'Data sources',
      Object.values(doc.dataSources).map(({ spec }) =>
        card(
          'dataSource',
          spec.name,
          ['kind', spec.kind],
          ...(spec.kind === 'fileSource'
            ? ([
                ['path', `${spec.path} (${spec.format})`],
                ['timestamp', [spec.timestampField, spec.createdTimestampColumn].filter(Boolean).join(', created: ')],
              ] as [string, string][])
            : []),
          ...(spec.kind === 'pushSource' ? ([['batch source', link('dataSource', spec.batchSource.name)]] as [string, Node][]) : []),
          ...(spec.kind === 'requestSource'
            ? ([
                ['fields', fields(spec.schema)],
                [
                  'on-demand views',
                  ...links(
                    'onDemandFeatureView',
                    onDemand.filter((o) => o.requestSources.some((r) => r.name === spec.name)).map((o) => o.name),
                  ),
                ],
              ] as [string, ...(Node | string)[]][])
            : []),
          ...(spec.kind !== 'requestSource'
            ? ([
                [
                  'feature views',
                  ...links(
                    'featureView',
                    views.filter((v) => v.batchSource.name === spec.name || v.streamSource?.name === spec.name).map((v) => v.name),
                  ),
                ],
              ] as [string, ...(Node | string)[]][])
            : []),
        ),
      ),
    ),
    section(
      'Feature views',
      views.map((spec) =>
        card(
          'featureView',
          spec.name,
          ['entities', ...links('entity', spec.entities)],
          ['source', link('dataSource', spec.batchSource.name), ...(spec.streamSource ? [', push: ', link('dataSource', spec.streamSource.name)] : [])],
          ['features', fields(spec.features)],
          ['ttl', spec.ttlSeconds ? `${spec.ttlSeconds} s` : 'none'],
          ['materialized', doc.featureViews[spec.name].materializationIntervals.map((i) => `${i.start} → ${i.end}`).join('; ') || 'never'],
          ['used by', ...usedBy(servicesUsing(spec.name), onDemandUsing(spec.name))],
          ['preview', pageLink('statistics and plots', 'preview', { view: spec.name })],
        ),
      ),
    ),
    section(
      'On-demand feature views',
      onDemand.map((spec) =>
        card(
          'onDemandFeatureView',
          spec.name,
          [
            'sources',
            ...links(
              'featureView',
              (spec.sources as readonly FeatureViewProjection[]).map((p) => p.viewName),
            ),
            ' · request: ',
            ...links(
              'dataSource',
              spec.requestSources.map((r) => r.name),
            ),
          ],
          ['features', fields(spec.features)],
          [
            'transform',
            ...(spec.transformLanguage === 'python'
              ? [
                  h(
                    'span',
                    { class: 'unavailable', 'data-testid': `needs-typescript-${spec.name}` },
                    `Python (Feast's ${spec.feastUdf?.mode ?? 'python'} mode): ${NEEDS_TYPESCRIPT} before its features can be requested here. `,
                  ),
                ]
              : []),
            h('code', {}, 'transformSource' in spec ? String(spec.transformSource).slice(0, 160) : ''),
          ],
          ['used by', ...links('featureService', servicesUsing(spec.name))],
        ),
      ),
    ),
    section(
      'Stream feature views',
      streams.map((spec) =>
        card(
          'streamFeatureView',
          spec.name,
          ['entities', ...links('entity', spec.entities)],
          ['source', link('dataSource', spec.source.name), ' → offline: ', link('dataSource', spec.batchSource.name)],
          ['aggregations', spec.aggregations.map((a) => `${a.name} = ${a.fn}(${a.column}) over ${a.windowSeconds} s, tiles of ${a.slideSeconds} s`).join('; ')],
          ['late after', `${spec.allowedLatenessSeconds} s`],
          ['transform', h('code', {}, spec.transformSource ? String(spec.transformSource).slice(0, 160) : 'none')],
          ['used by', ...links('featureService', servicesUsing(spec.name))],
        ),
      ),
    ),
    section(
      'Feature services',
      services.map((spec) =>
        card(
          'featureService',
          spec.name,
          [
            'features',
            ...spec.projections.flatMap((p, i) => [
              i ? '; ' : '',
              link(p.viewKind, p.viewName),
              `${p.alias ? ` as ${p.alias}` : ''}: ${p.features.join(', ')}`,
            ]),
          ],
          [
            'saved datasets',
            ...links(
              'savedDataset',
              Object.values(doc.savedDatasets)
                .filter((d) => d.spec.featureServiceName === spec.name)
                .map((d) => d.spec.name),
            ),
          ],
        ),
      ),
    ),
    section(
      'Saved datasets',
      Object.values(doc.savedDatasets).map(({ spec, createdAt }) =>
        card(
          'savedDataset',
          spec.name,
          ['rows', String(spec.rowCount)],
          ['features', spec.features.join(', ')],
          ['service', spec.featureServiceName ? link('featureService', spec.featureServiceName) : 'none'],
          ['event times', spec.minEventTimestamp ? `${spec.minEventTimestamp} → ${spec.maxEventTimestamp}` : ''],
          ['saved', createdAt],
        ),
      ),
    ),
  );
}

export function createRegistryPage(): Page {
  const messages = messageBox();
  const content = h('div', { 'data-testid': 'registry' }, h('p', { class: 'muted' }, 'Loading the registry…'));
  const element = h('div', {}, h('h1', {}, 'Registry'), messages.element, content);
  const refresh = async (focus: string | null) => {
    try {
      await storeReady();
      replace(content, registryView(await featureStore.registryDocument()));
      messages.clear();
      const target = focus ? document.getElementById(focus) : null;
      if (target) {
        target.scrollIntoView({ block: 'center' });
        target.classList.add('focused');
        setTimeout(() => target.classList.remove('focused'), 1500);
      }
    } catch (error) {
      messages.error(error);
    }
  };
  append(
    element,
    loadRepoPanel(() => refresh(null)),
  );
  return { title: 'Registry', element, show: (query) => refresh(query.get('focus')) };
}
