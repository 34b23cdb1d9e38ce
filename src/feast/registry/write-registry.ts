import { create, fromBinary, toBinary, type DescMessage, type Message } from '@bufbuild/protobuf';
import { DUMMY_ENTITY_NAME, DUMMY_JOIN_KEY } from '../../definitions/index.js';
import { entryOf, streamViewsOf, type FeastUnmodeledFields, type RegistryDocument } from '../../registry/document.js';
import { EntitySchema } from '../proto/feast/core/Entity_pb.js';
import { DataSourceSchema } from '../proto/feast/core/DataSource_pb.js';
import { FeatureServiceSchema } from '../proto/feast/core/FeatureService_pb.js';
import { FeatureViewSchema } from '../proto/feast/core/FeatureView_pb.js';
import { OnDemandFeatureViewSchema } from '../proto/feast/core/OnDemandFeatureView_pb.js';
import { ProjectSchema } from '../proto/feast/core/Project_pb.js';
import { RegistrySchema, type Registry } from '../proto/feast/core/Registry_pb.js';
import { SavedDatasetSchema } from '../proto/feast/core/SavedDataset_pb.js';
import { StreamFeatureViewSchema } from '../proto/feast/core/StreamFeatureView_pb.js';
import { decodeUnknown, restoreUnknown } from './unknown-fields.js';
import { sourceToFeast } from './write-sources.js';
import { featureViewToFeast, onDemandViewToFeast, projectionToFeast, streamViewToFeast } from './write-views.js';
import { valueTypeToFeast } from './value-types.js';
import { fromBase64, timestampFromIso } from './wire-values.js';

export interface WriteFeastRegistryOptions {
  /** Feast's `version_id` (a random id per commit, used for debugging only); default a new UUID v4. */
  readonly versionId?: string;
  /** Feast's `last_updated`; default the document's `lastUpdatedAt`, so one document always gives the same bytes but the id. */
  readonly lastUpdated?: string;
}

/** A UUID v4 from getRandomValues: crypto.randomUUID is missing outside secure browser contexts. */
function uuid4(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Puts back the Feast fields feast-edge did not model, read from this object earlier. */
function withUnmodeled<M extends Message>(desc: DescMessage, message: M, carried: FeastUnmodeledFields | undefined): M {
  restoreUnknown(desc, message, carried);
  return message;
}

const times = (t: { createdAt: string; lastUpdatedAt: string }, where: string) => ({
  createdTimestamp: timestampFromIso(t.createdAt, `${where}.createdAt`),
  lastUpdatedTimestamp: timestampFromIso(t.lastUpdatedAt, `${where}.lastUpdatedAt`),
});

/** Registry lists where carried objects go, by the collection labels the reader gave them. */
const CARRIED_COLLECTION: Record<string, keyof RegistryDocument> = {
  entity: 'entities',
  'data source': 'dataSources',
  'feature view': 'featureViews',
  'stream feature view': 'streamFeatureViews',
  'on-demand feature view': 'onDemandFeatureViews',
  'feature service': 'featureServices',
  'saved dataset': 'savedDatasets',
};

/** Appends every list of a `feast.core.Registry` fragment to `into`. */
function appendFragment(into: Registry, fragment: Registry): void {
  for (const key of [
    'entities',
    'dataSources',
    'featureViews',
    'onDemandFeatureViews',
    'streamFeatureViews',
    'featureServices',
    'savedDatasets',
    'projects',
  ] as const) {
    (into[key] as unknown[]).push(...(fragment[key] as unknown[]));
  }
}

/**
 * Writes a feast-edge registry document as Feast's registry.db: one serialized
 * `feast.core.Registry` that Feast 0.66 reads (`feast registry-dump`, `feast ui`,
 * `FeatureStore.list_*`). Fields and objects read from a Feast registry and not modeled by
 * feast-edge are written back; Feast's `__dummy` entity and the project entry are added.
 * @example await file.write(writeFeastRegistry(doc));
 */
export function writeFeastRegistry(doc: RegistryDocument, options: WriteFeastRegistryOptions = {}): Uint8Array {
  const project = doc.project.name;
  const carry = doc.feast ?? {};
  const registry = create(RegistrySchema, {
    registrySchemaVersion: '1',
    versionId: options.versionId ?? uuid4(),
    lastUpdated: timestampFromIso(options.lastUpdated ?? doc.lastUpdatedAt, 'lastUpdatedAt'),
  });

  for (const e of Object.values(doc.entities)) {
    const spec = e.spec;
    registry.entities.push(
      withUnmodeled(
        EntitySchema,
        create(EntitySchema, {
          spec: {
            name: spec.name,
            project,
            valueType: valueTypeToFeast(spec.valueType).valueType,
            joinKey: spec.joinKeys[0],
            description: spec.description ?? '',
            tags: { ...(spec.tags ?? {}) },
            owner: spec.owner ?? '',
          },
          meta: times(e, `entity '${spec.name}'`),
        }),
        e.feastUnmodeled,
      ),
    );
  }
  // Feast writes its dummy entity into every project; views without entities point at it.
  const dummy = carry.dummyEntity ?? { createdAt: doc.lastUpdatedAt, lastUpdatedAt: doc.lastUpdatedAt };
  registry.entities.push(
    withUnmodeled(
      EntitySchema,
      create(EntitySchema, {
        spec: { name: DUMMY_ENTITY_NAME, joinKey: DUMMY_JOIN_KEY, project },
        meta: times(dummy, 'dummy entity'),
      }),
      carry.dummyEntity?.feastUnmodeled,
    ),
  );

  for (const s of Object.values(doc.dataSources)) {
    registry.dataSources.push(withUnmodeled(DataSourceSchema, sourceToFeast(doc, s.spec, { project, withClass: true, times: s }), s.feastUnmodeled));
  }
  for (const v of Object.values(doc.featureViews)) {
    registry.featureViews.push(withUnmodeled(FeatureViewSchema, featureViewToFeast(doc, v), v.feastUnmodeled));
  }
  for (const v of Object.values(streamViewsOf(doc))) {
    registry.streamFeatureViews.push(withUnmodeled(StreamFeatureViewSchema, streamViewToFeast(doc, v), v.feastUnmodeled));
  }
  for (const v of Object.values(doc.onDemandFeatureViews)) {
    registry.onDemandFeatureViews.push(withUnmodeled(OnDemandFeatureViewSchema, onDemandViewToFeast(doc, v), v.feastUnmodeled));
  }
  for (const s of Object.values(doc.featureServices)) {
    const spec = s.spec;
    const where = `feature service '${spec.name}'`;
    registry.featureServices.push(
      withUnmodeled(
        FeatureServiceSchema,
        create(FeatureServiceSchema, {
          spec: {
            name: spec.name,
            project,
            features: spec.projections.map((p) => projectionToFeast(doc, p, where)),
            tags: { ...(spec.tags ?? {}) },
            description: spec.description ?? '',
            owner: spec.owner ?? '',
          },
          meta: times(s, where),
        }),
        s.feastUnmodeled,
      ),
    );
  }
  for (const d of Object.values(doc.savedDatasets)) {
    const spec = d.spec;
    const where = `saved dataset '${spec.name}'`;
    registry.savedDatasets.push(
      withUnmodeled(
        SavedDatasetSchema,
        create(SavedDatasetSchema, {
          spec: {
            name: spec.name,
            project,
            features: [...spec.features],
            joinKeys: [...spec.joinKeys],
            fullFeatureNames: spec.fullFeatureNames,
            storage: { kind: { case: 'fileStorage', value: { uri: spec.storage.path } } },
            tags: { ...(spec.tags ?? {}) },
            featureServiceName: spec.featureServiceName ?? '',
          },
          meta: {
            createdTimestamp: timestampFromIso(d.createdAt, `${where}.createdAt`),
            // Feast records no update time for a dataset; one is written only when feast-edge changed it.
            ...(d.lastUpdatedAt !== d.createdAt ? { lastUpdatedTimestamp: timestampFromIso(d.lastUpdatedAt, `${where}.lastUpdatedAt`) } : {}),
            ...(spec.minEventTimestamp ? { minEventTimestamp: timestampFromIso(spec.minEventTimestamp, `${where}.minEventTimestamp`) } : {}),
            ...(spec.maxEventTimestamp ? { maxEventTimestamp: timestampFromIso(spec.maxEventTimestamp, `${where}.maxEventTimestamp`) } : {}),
          },
        }),
        d.feastUnmodeled,
      ),
    );
  }
  const projectTimes = carry.project?.createdAt
    ? { createdAt: carry.project.createdAt, lastUpdatedAt: carry.project.lastUpdatedAt ?? carry.project.createdAt }
    : { createdAt: doc.lastUpdatedAt, lastUpdatedAt: doc.lastUpdatedAt };
  registry.projects.push(
    withUnmodeled(
      ProjectSchema,
      create(ProjectSchema, {
        spec: { name: project, description: doc.project.description ?? '', tags: { ...(doc.project.tags ?? {}) }, owner: doc.project.owner ?? '' },
        meta: times(projectTimes, `project '${project}'`),
      }),
      carry.project?.feastUnmodeled,
    ),
  );

  for (const object of carry.carriedObjects ?? []) {
    // An object feast-edge has since defined itself replaces the one kept from Feast.
    const collection = CARRIED_COLLECTION[object.kind];
    const replaced = collection && entryOf((doc[collection] ?? {}) as Record<string, unknown>, object.name);
    if (!replaced) appendFragment(registry, fromBinary(RegistrySchema, fromBase64(object.registryBytes)));
  }
  if (carry.otherProjects) appendFragment(registry, fromBinary(RegistrySchema, fromBase64(carry.otherProjects)));
  if (carry.registryFields) registry.$unknown = decodeUnknown(fromBase64(carry.registryFields));
  return toBinary(RegistrySchema, registry);
}
