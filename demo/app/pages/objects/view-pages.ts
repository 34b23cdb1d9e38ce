import type { FeatureViewProjection } from '../../../../src/definitions/index.js';
import { streamViewsOf, type RegistryDocument } from '../../../../src/registry/document.js';
import { formatDuration } from '../../freshness.js';
import { freshnessLines } from '../../freshness-view.js';
import { NEEDS_TYPESCRIPT } from '../../registry-model.js';
import { lineageEdges, neighbours, type ObjectRef } from '../../registry-relations.js';
import { dataTable } from '../../ui/data-table.js';
import { h, pageLink } from '../../ui/dom.js';
import { objectLink, objectLinks, panel, properties } from '../../ui/objects.js';
import { fieldsTable, lineagePanel, objectHeader, rawPanel } from './common.js';

type Child = Node | string | null | undefined | false;

const usedBy = (doc: RegistryDocument, ref: ObjectRef) => objectLinks(neighbours(lineageEdges(doc), ref, 'down'));

/** A batch feature view: its features, entities, sources, ttl, freshness per store, and what reads it. */
export function featureViewPage(doc: RegistryDocument, name: string): Child[] {
  const stored = doc.featureViews[name];
  const spec = stored.spec;
  const ref: ObjectRef = { kind: 'featureView', name };
  return [
    ...objectHeader('featureView', name, spec, stored),
    h(
      'p',
      { class: 'actions' },
      pageLink('Statistics and plots', 'preview', { view: name }),
      ' · ',
      pageLink('Read online', 'online', { view: name }),
      ' · ',
      pageLink('Training set', 'training', { view: name }),
    ),
    panel(`Features (${spec.features.length})`, fieldsTable(spec.features, 'object-features')),
    panel(
      'Properties',
      properties(
        [
          ['entities', ...objectLinks(spec.entities.map((e) => ({ kind: 'entity', name: e })))],
          ['join keys', spec.entityColumns.map((c) => c.name).join(', ')],
          ['batch source', objectLink('dataSource', spec.batchSource.name)],
          ['push source', spec.streamSource ? objectLink('dataSource', spec.streamSource.name) : ''],
          ['ttl', formatDuration(spec.ttlSeconds)],
          ['online', spec.online ? 'yes' : 'no'],
          ['offline', spec.offline ? 'yes' : 'no'],
          ['used by', ...usedBy(doc, ref)],
        ],
        'object-properties',
      ),
    ),
    panel(
      'Freshness',
      h('p', { class: 'muted' }, 'The end of the last materialization per online store, against the ttl (enforced when reading):'),
      freshnessLines(doc, name),
      stored.materializationIntervals.length > 0
        ? dataTable(
            ['materialized in this browser from', 'to'],
            stored.materializationIntervals.map((i) => [i.start, i.end]),
            { testId: 'object-intervals' },
          )
        : null,
    ),
    lineagePanel(doc, ref),
    rawPanel(spec),
  ];
}

/** An on-demand view: its inputs (views and request data), outputs, transform and the services reading it. */
export function onDemandViewPage(doc: RegistryDocument, name: string): Child[] {
  const stored = doc.onDemandFeatureViews[name];
  const spec = stored.spec;
  const python = spec.transformLanguage === 'python';
  return [
    ...objectHeader('onDemandFeatureView', name, spec, stored),
    panel(`Features (${spec.features.length})`, fieldsTable(spec.features, 'object-features')),
    panel(
      'Properties',
      properties(
        [
          [
            'source views',
            ...objectLinks((spec.sources as readonly FeatureViewProjection[]).map((p) => ({ kind: p.viewKind ?? 'featureView', name: p.viewName }))),
          ],
          ['request data', ...objectLinks(spec.requestSources.map((r) => ({ kind: 'dataSource', name: r.name })))],
          ['request fields', spec.requestSources.flatMap((r) => r.schema.map((f) => f.name)).join(', ')],
          [
            'transform',
            python ? `Python (Feast's ${spec.feastUdf?.mode ?? 'python'} mode)` : `TypeScript (${spec.mode === 'columns' ? 'columns' : 'one row at a time'})`,
          ],
          ['used by', ...usedBy(doc, { kind: 'onDemandFeatureView', name })],
        ],
        'object-properties',
      ),
    ),
    panel(
      'Transformation',
      python
        ? h('p', { class: 'unavailable', 'data-testid': `needs-typescript-${name}` }, `${NEEDS_TYPESCRIPT} before its features can be requested here.`)
        : null,
      h('pre', { class: 'code', 'data-testid': 'object-transform' }, spec.transformSource),
    ),
    lineagePanel(doc, { kind: 'onDemandFeatureView', name }),
    rawPanel(spec),
  ];
}

/** A stream view: its push source, aggregations and windows, lateness, and what reads it. */
export function streamViewPage(doc: RegistryDocument, name: string): Child[] {
  const stored = streamViewsOf(doc)[name];
  const spec = stored.spec;
  return [
    ...objectHeader('streamFeatureView', name, spec, stored),
    panel(`Features (${spec.features.length})`, fieldsTable(spec.features, 'object-features')),
    panel(
      'Aggregations',
      dataTable(
        ['feature', 'function', 'column', 'window', 'tiles of'],
        spec.aggregations.map((a) => [a.name, a.fn, a.column, formatDuration(a.windowSeconds), formatDuration(a.slideSeconds)]),
        { testId: 'object-aggregations' },
      ),
    ),
    panel(
      'Properties',
      properties(
        [
          ['entities', ...objectLinks(spec.entities.map((e) => ({ kind: 'entity', name: e })))],
          ['stream source', objectLink('dataSource', spec.source.name)],
          ['offline history', objectLink('dataSource', spec.batchSource.name)],
          ['event time', spec.timestampField],
          ['late after', spec.allowedLatenessSeconds > 0 ? formatDuration(spec.allowedLatenessSeconds) : '0 s: no late event is applied online'],
          ['transform', spec.transformSource ? h('code', {}, spec.transformSource) : 'none'],
          ['used by', ...usedBy(doc, { kind: 'streamFeatureView', name })],
        ],
        'object-properties',
      ),
    ),
    lineagePanel(doc, { kind: 'streamFeatureView', name }),
    rawPanel(spec),
  ];
}
