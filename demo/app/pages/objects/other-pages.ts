import { formatValueType } from '../../../../src/definitions/index.js';
import { streamViewsOf, type RegistryDocument } from '../../../../src/registry/document.js';
import { EXAMPLE_KEYS } from '../../example-repo.js';
import { requiredEntityColumns } from '../../registry-model.js';
import { lineageEdges, neighbours, type ObjectRef } from '../../registry-relations.js';
import { serverOrigin } from '../../server-client.js';
import { dataTable } from '../../ui/data-table.js';
import { h, pageLink } from '../../ui/dom.js';
import { objectLink, objectLinks, panel, properties } from '../../ui/objects.js';
import { fieldsTable, lineagePanel, objectHeader, rawPanel } from './common.js';

type Child = Node | string | null | undefined | false;

/** An entity: its join key and type, and the views keyed by it (and, through them, the services). */
export function entityPage(doc: RegistryDocument, name: string): Child[] {
  const stored = doc.entities[name];
  const spec = stored.spec;
  const views: ObjectRef[] = [
    ...Object.values(doc.featureViews)
      .filter((v) => v.spec.entities.includes(name))
      .map((v) => ({ kind: 'featureView' as const, name: v.spec.name })),
    ...Object.values(streamViewsOf(doc))
      .filter((v) => v.spec.entities.includes(name))
      .map((v) => ({ kind: 'streamFeatureView' as const, name: v.spec.name })),
  ];
  return [
    ...objectHeader('entity', name, spec, stored),
    panel(
      'Properties',
      properties(
        [
          ['join key', h('code', {}, spec.joinKeys[0])],
          ['value type', formatValueType(spec.valueType)],
          ['views keyed by it', ...objectLinks(views)],
        ],
        'object-properties',
      ),
    ),
    lineagePanel(doc, { kind: 'entity', name }),
    rawPanel(spec),
  ];
}

/** A data source: where its rows are (file, push, request), its timestamps and mapping, and what reads it. */
export function dataSourcePage(doc: RegistryDocument, name: string): Child[] {
  const stored = doc.dataSources[name];
  const spec = stored.spec;
  const readers = neighbours(lineageEdges(doc), { kind: 'dataSource', name }, 'down');
  const rows: (readonly [string, ...Child[]])[] = [];
  if (spec.kind === 'fileSource') {
    rows.push(
      ['kind', 'file source'],
      ['path', h('code', {}, spec.path)],
      ['format', spec.format],
      ['event time', spec.timestampField],
      ['created time', spec.createdTimestampColumn ?? ''],
      [
        'field mapping',
        Object.entries(spec.fieldMapping)
          .map(([from, to]) => `${from} → ${to}`)
          .join(', '),
      ],
    );
  } else if (spec.kind === 'pushSource') {
    rows.push(['kind', 'push source: rows pushed at run time'], ['batch source', objectLink('dataSource', spec.batchSource.name)]);
  } else {
    rows.push(['kind', 'request source: values sent with each request']);
  }
  rows.push(['read by', ...objectLinks(readers)]);
  return [
    ...objectHeader('dataSource', name, spec, stored),
    panel('Properties', properties(rows, 'object-properties')),
    spec.kind === 'requestSource' ? panel('Request schema', fieldsTable(spec.schema, 'object-features')) : null,
    lineagePanel(doc, { kind: 'dataSource', name }),
    rawPanel(spec),
  ];
}

/** Feast's request for a service, with the example's keys where the entity is the example's. */
function curlExample(doc: RegistryDocument, name: string): string {
  const entities = Object.fromEntries(requiredEntityColumns(doc, { featureService: name }).map(({ column }) => [column, EXAMPLE_KEYS[column] ?? ['…']]));
  return `curl -s ${serverOrigin()}/get-online-features -H 'content-type: application/json' \\\n  -d '${JSON.stringify({ feature_service: name, entities })}'`;
}

/** A feature service: its projections (view, alias, features, join-key map), entities, datasets, and Feast's request for it. */
export function featureServicePage(doc: RegistryDocument, name: string): Child[] {
  const stored = doc.featureServices[name];
  const spec = stored.spec;
  const entities = [
    ...new Set(
      spec.projections.flatMap((p) =>
        p.viewKind === 'featureView'
          ? (doc.featureViews[p.viewName]?.spec.entities ?? [])
          : p.viewKind === 'streamFeatureView'
            ? (streamViewsOf(doc)[p.viewName]?.spec.entities ?? [])
            : [],
      ),
    ),
  ];
  const datasets = Object.values(doc.savedDatasets).filter((d) => d.spec.featureServiceName === name);
  const total = spec.projections.reduce((n, p) => n + p.features.length, 0);
  return [
    ...objectHeader('featureService', name, spec, stored),
    h('p', { class: 'actions' }, pageLink('Read online', 'online', { service: name }), ' · ', pageLink('Training set', 'training', { service: name })),
    panel(
      `Features (${total} from ${spec.projections.length} views)`,
      dataTable(
        ['view', 'as', 'features', 'join keys mapped'],
        spec.projections.map((p) => [
          p.viewName,
          p.alias ?? '',
          p.features.join(', '),
          Object.entries(p.joinKeyMap)
            .map(([k, v]) => `${k} ← ${v}`)
            .join(', '),
        ]),
        { testId: 'object-projections' },
      ),
    ),
    panel(
      'Properties',
      properties(
        [
          ['views', ...objectLinks(spec.projections.map((p) => ({ kind: p.viewKind, name: p.viewName })))],
          ['entities', ...objectLinks(entities.map((e) => ({ kind: 'entity', name: e })))],
          ['saved datasets', ...objectLinks(datasets.map((d) => ({ kind: 'savedDataset', name: d.spec.name })))],
        ],
        'object-properties',
      ),
    ),
    panel("Feast's HTTP request", h('pre', { class: 'code', 'data-testid': 'object-curl' }, curlExample(doc, name))),
    lineagePanel(doc, { kind: 'featureService', name }),
    rawPanel(spec),
  ];
}

/** A saved dataset: its features, keys, where its rows are, and the service it came from. */
export function savedDatasetPage(doc: RegistryDocument, name: string): Child[] {
  const stored = doc.savedDatasets[name];
  const spec = stored.spec;
  return [
    ...objectHeader('savedDataset', name, spec, stored),
    panel(
      `Features (${spec.features.length})`,
      dataTable(
        ['view', 'feature'],
        spec.features.map((f) => (f.includes(':') ? f.split(':', 2) : ['', f])),
        { testId: 'object-features' },
      ),
    ),
    panel(
      'Properties',
      properties(
        [
          ['rows', spec.rowCount === undefined ? '' : String(spec.rowCount)],
          ['join keys', spec.joinKeys.join(', ')],
          ['storage', h('code', {}, `${spec.storage.path} (${spec.storage.format})`)],
          ['event times', spec.minEventTimestamp ? `${spec.minEventTimestamp} → ${spec.maxEventTimestamp}` : ''],
          ['full feature names', spec.fullFeatureNames ? 'yes' : 'no'],
          ['feature service', spec.featureServiceName ? objectLink('featureService', spec.featureServiceName) : ''],
        ],
        'object-properties',
      ),
    ),
    lineagePanel(doc, { kind: 'savedDataset', name }),
    rawPanel(spec),
  ];
}
