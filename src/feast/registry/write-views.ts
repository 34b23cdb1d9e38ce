import { create } from '@bufbuild/protobuf';
import { DUMMY_ENTITY_NAME, DUMMY_JOIN_KEY, field, String as StringType, type FeatureViewProjection, type Field } from '../../definitions/index.js';
import {
  entryOf,
  streamViewsOf,
  type RegistryDocument,
  type StoredFeatureView,
  type StoredOnDemandFeatureView,
  type StoredStreamFeatureView,
  type Stored,
} from '../../registry/document.js';
import { FeatureViewSchema, type FeatureView as FeatureViewProto } from '../proto/feast/core/FeatureView_pb.js';
import { FeatureViewProjectionSchema, type FeatureViewProjection as ProjectionProto } from '../proto/feast/core/FeatureViewProjection_pb.js';
import { OnDemandFeatureViewSchema, type OnDemandFeatureView as OnDemandProto, type OnDemandSource } from '../proto/feast/core/OnDemandFeatureView_pb.js';
import { StreamFeatureViewSchema, type StreamFeatureView as StreamProto } from '../proto/feast/core/StreamFeatureView_pb.js';
import { FeastRegistryError } from './errors.js';
import { pythonFunctionName, pythonStubFor, STUB_FEAST_MODE } from './python-stub.js';
import { feastAggregationName } from './read-views.js';
import { fileSourceToFeast, pushSourceToFeast, requestSourceToFeast, sourceTimes } from './write-sources.js';
import { fieldToFeast } from './value-types.js';
import { durationFromSeconds, fromBase64, timestampFromIso } from './wire-values.js';

type Times = { readonly createdAt: string; readonly lastUpdatedAt: string };
const metaTimes = (t: Times, where: string) => ({
  createdTimestamp: timestampFromIso(t.createdAt, `${where}.createdAt`),
  lastUpdatedTimestamp: timestampFromIso(t.lastUpdatedAt, `${where}.lastUpdatedAt`),
});
const text = (m: { description?: string; tags?: Readonly<Record<string, string>>; owner?: string }) => ({
  description: m.description ?? '',
  tags: { ...(m.tags ?? {}) },
  owner: m.owner ?? '',
});

/** Feast gives a view without entities its own `__dummy` entity, joined on a string `__dummy_id`. */
const DUMMY_COLUMN = field(DUMMY_JOIN_KEY, StringType);

export function featureViewToFeast(doc: RegistryDocument, stored: StoredFeatureView): FeatureViewProto {
  const view = stored.spec;
  const where = `feature view '${view.name}'`;
  const entityless = view.entities.length === 0;
  return create(FeatureViewSchema, {
    spec: {
      name: view.name,
      project: doc.project.name,
      entities: entityless ? [DUMMY_ENTITY_NAME] : [...view.entities],
      features: view.features.map(fieldToFeast),
      ttl: durationFromSeconds(view.ttlSeconds),
      batchSource: fileSourceToFeast(view.batchSource, { withClass: true, times: sourceTimes(doc, view.batchSource.name, stored) }),
      online: view.online,
      streamSource: view.streamSource
        ? pushSourceToFeast(doc, view.streamSource, { withClass: true, times: sourceTimes(doc, view.streamSource.name, stored) })
        : undefined,
      entityColumns: (entityless ? [DUMMY_COLUMN] : view.entityColumns).map(fieldToFeast),
      offline: view.offline,
      ...text(view),
    },
    meta: {
      ...metaTimes(stored, where),
      materializationIntervals: stored.materializationIntervals.map((i, n) => ({
        startTime: timestampFromIso(i.start, `${where}.materializationIntervals[${n}].start`),
        endTime: timestampFromIso(i.end, `${where}.materializationIntervals[${n}].end`),
      })),
    },
  });
}

export function streamViewToFeast(doc: RegistryDocument, stored: Stored<StoredStreamFeatureView>): StreamProto {
  const view = stored.spec;
  return create(StreamFeatureViewSchema, {
    spec: {
      name: view.name,
      project: doc.project.name,
      entities: [...view.entities],
      // Feast lists the join keys among the features as well.
      features: [...view.entityColumns, ...view.inputs].map(fieldToFeast),
      entityColumns: view.entityColumns.map(fieldToFeast),
      batchSource: fileSourceToFeast(view.batchSource, { withClass: true, times: sourceTimes(doc, view.batchSource.name, stored) }),
      streamSource: pushSourceToFeast(doc, view.source, { withClass: true, times: sourceTimes(doc, view.source.name, stored) }),
      online: true,
      aggregations: view.aggregations.map((a) => ({
        column: a.column,
        function: a.fn,
        timeWindow: durationFromSeconds(a.windowSeconds),
        slideInterval: durationFromSeconds(a.slideSeconds),
        // Feast derives the same name when none is stored; storing none keeps Feast's own registries unchanged.
        name: a.name === feastAggregationName(a.fn, a.column, a.windowSeconds) ? '' : a.name,
      })),
      timestampField: view.timestampField,
      ...text(view),
    },
    meta: metaTimes(stored, `stream feature view '${view.name}'`),
  });
}

/** A projection as Feast writes it: the view's full field specs, its batch source, and the created column as `timestamp_field` (Feast's own quirk). */
export function projectionToFeast(doc: RegistryDocument, p: FeatureViewProjection, where: string): ProjectionProto {
  const entry =
    p.viewKind === 'featureView'
      ? entryOf(doc.featureViews, p.viewName)
      : p.viewKind === 'streamFeatureView'
        ? entryOf(streamViewsOf(doc), p.viewName)
        : entryOf(doc.onDemandFeatureViews, p.viewName);
  if (!entry) throw new FeastRegistryError(`${where}: ${p.viewKind} '${p.viewName}' is not in the document`);
  const fields: readonly Field[] = entry.spec.features;
  const columns = p.features.map((name) => {
    const f = fields.find((x) => x.name === name);
    if (!f) throw new FeastRegistryError(`${where}: '${p.viewName}' has no feature '${name}'`);
    return fieldToFeast(f);
  });
  const batch = 'batchSource' in entry.spec ? entry.spec.batchSource : undefined;
  return create(FeatureViewProjectionSchema, {
    featureViewName: p.viewName,
    featureViewNameAlias: p.alias ?? '',
    featureColumns: columns,
    joinKeyMap: { ...p.joinKeyMap },
    timestampField: batch?.createdTimestampColumn ?? '',
    createdTimestampColumn: batch?.createdTimestampColumn ?? '',
    batchSource: batch ? fileSourceToFeast(batch, { withClass: false, times: sourceTimes(doc, batch.name, entry) }) : undefined,
    viewType: 'featureView',
  });
}

/**
 * An on-demand view: a Python one gets its function back byte for byte; a TypeScript one
 * gets a Python stub that refuses to run and carries the TypeScript (python-stub.ts).
 */
export function onDemandViewToFeast(doc: RegistryDocument, stored: Stored<StoredOnDemandFeatureView>): OnDemandProto {
  const view = stored.spec;
  const where = `on-demand feature view '${view.name}'`;
  const sources: Record<string, OnDemandSource> = {};
  for (const p of view.sources) {
    sources[p.alias ?? p.viewName] = {
      $typeName: 'feast.core.OnDemandSource',
      source: { case: 'featureViewProjection', value: projectionToFeast(doc, p, `${where}.sources`) },
    };
  }
  for (const r of view.requestSources) {
    sources[r.name] = {
      $typeName: 'feast.core.OnDemandSource',
      source: { case: 'requestDataSource', value: requestSourceToFeast(r, { withClass: false, times: sourceTimes(doc, r.name, stored) }) },
    };
  }
  const python = view.transformLanguage === 'python' && view.feastUdf;
  const mode = python ? view.feastUdf!.mode : STUB_FEAST_MODE;
  return create(OnDemandFeatureViewSchema, {
    spec: {
      name: view.name,
      project: doc.project.name,
      features: view.features.map(fieldToFeast),
      sources,
      featureTransformation: {
        transformation: {
          case: 'userDefinedFunction',
          value: python
            ? { name: view.feastUdf!.name, body: fromBase64(view.feastUdf!.bodyBase64), bodyText: view.transformSource, mode }
            : { name: pythonFunctionName(view.name), bodyText: pythonStubFor(view.name, { mode: view.mode, source: view.transformSource }), mode },
        },
      },
      mode,
      singleton: Boolean(python) && view.mode === 'rows',
      ...text(view),
    },
    meta: metaTimes(stored, where),
  });
}
