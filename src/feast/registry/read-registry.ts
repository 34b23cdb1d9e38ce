import { create, fromBinary, toBinary, type DescMessage, type Message } from '@bufbuild/protobuf';
import {
  DUMMY_ENTITY_NAME,
  entity,
  featureService,
  InvalidDefinitionError,
  Int64,
  project as projectSpec,
  type DataSource,
  type Entity,
  type FeatureViewProjection,
  type ScalarType,
} from '../../definitions/index.js';
import type { FeastCarriedObject, RegistryDocument, SavedDataset, Stored } from '../../registry/document.js';
import { parseRegistryDocument } from '../../registry/document-shape.js';
import { toStorable } from '../../registry/serialize.js';
import { EntitySchema } from '../proto/feast/core/Entity_pb.js';
import { DataSourceSchema } from '../proto/feast/core/DataSource_pb.js';
import { FeatureServiceSchema } from '../proto/feast/core/FeatureService_pb.js';
import { FeatureViewSchema } from '../proto/feast/core/FeatureView_pb.js';
import { OnDemandFeatureViewSchema } from '../proto/feast/core/OnDemandFeatureView_pb.js';
import { ProjectSchema } from '../proto/feast/core/Project_pb.js';
import { RegistrySchema, type Registry } from '../proto/feast/core/Registry_pb.js';
import { SavedDatasetSchema } from '../proto/feast/core/SavedDataset_pb.js';
import { StreamFeatureViewSchema } from '../proto/feast/core/StreamFeatureView_pb.js';
import { FeastRegistryError, UnmodeledFeastObject } from './errors.js';
import { onDemandViewFromFeast } from './read-on-demand.js';
import { metadataFromFeast, sourceFromFeast } from './read-sources.js';
import { featureViewFromFeast, streamFeatureViewFromFeast, type ReadContext } from './read-views.js';
import { collectUnknown, encodeUnknown } from './unknown-fields.js';
import { valueTypeFromFeast } from './value-types.js';
import { isoFromTimestamp, toBase64 } from './wire-values.js';

export interface ReadFeastRegistryOptions {
  /** The project to read; may be left out when the registry holds one project. */
  readonly project?: string;
}

type Collection = 'entities' | 'dataSources' | 'featureViews' | 'streamFeatureViews' | 'onDemandFeatureViews' | 'featureServices' | 'savedDatasets';
const KIND_LABEL: Record<Collection, string> = {
  entities: 'entity',
  dataSources: 'data source',
  featureViews: 'feature view',
  streamFeatureViews: 'stream feature view',
  onDemandFeatureViews: 'on-demand feature view',
  featureServices: 'feature service',
  savedDatasets: 'saved dataset',
};

const projectOf = (o: { spec?: { project: string } } | { project: string }): string =>
  ('spec' in o ? o.spec?.project : (o as { project: string }).project) ?? '';

/** The projects a registry.db holds, sorted. */
export function feastRegistryProjects(bytes: Uint8Array): string[] {
  return projectNames(decode(bytes));
}

function projectNames(r: Registry): string[] {
  const names = new Set(r.projects.map((p) => p.spec?.name ?? ''));
  for (const o of [...r.entities, ...r.featureViews, ...r.onDemandFeatureViews, ...r.streamFeatureViews, ...r.featureServices, ...r.savedDatasets])
    names.add(projectOf(o));
  for (const s of r.dataSources) names.add(s.project);
  names.delete('');
  return [...names].sort();
}

function decode(bytes: Uint8Array): Registry {
  try {
    return fromBinary(RegistrySchema, bytes);
  } catch (error) {
    throw new FeastRegistryError(`registry.db: not a feast.core.Registry message (${(error as Error).message})`);
  }
}

/** Stored times from a Feast meta; a missing time takes the registry's last update. */
function times(
  meta: { createdTimestamp?: Parameters<typeof isoFromTimestamp>[0]; lastUpdatedTimestamp?: Parameters<typeof isoFromTimestamp>[0] } | undefined,
  fallback: string,
) {
  const createdAt = meta?.createdTimestamp ? isoFromTimestamp(meta.createdTimestamp) : fallback;
  return { createdAt, lastUpdatedAt: meta?.lastUpdatedTimestamp ? isoFromTimestamp(meta.lastUpdatedTimestamp) : createdAt };
}

/** The entity's type; Feast leaves it unset (INVALID) when it inferred it, and the views' join-key columns then say it. */
function entityType(e: Registry['entities'][number], r: Registry): ScalarType {
  const spec = e.spec!;
  let n = spec.valueType;
  if (n === 0) {
    const columns = [...r.featureViews, ...r.streamFeatureViews].flatMap((v) => (v.spec?.project === spec.project ? v.spec.entityColumns : []));
    n = columns.find((c) => c.name === spec.joinKey)?.valueType ?? 0;
  }
  return n === 0 ? Int64 : (valueTypeFromFeast(n, {}, `entity '${spec.name}'`) as ScalarType);
}

/**
 * Reads Feast's registry.db (one serialized `feast.core.Registry`) into feast-edge's
 * registry document for one project. What feast-edge does not model is kept in the
 * document (`feast`, and `feastUnmodeled` per object) so `writeFeastRegistry` writes it back.
 * @example const doc = await readFeastRegistry(new Uint8Array(await file.arrayBuffer()), { project: 'driver_ranking' });
 */
export async function readFeastRegistry(bytes: Uint8Array, options: ReadFeastRegistryOptions = {}): Promise<RegistryDocument> {
  const r = decode(bytes);
  const names = projectNames(r);
  const name = options.project ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined || !names.includes(name)) {
    throw new FeastRegistryError(
      `registry.db: ${options.project === undefined ? 'holds several projects; choose one with { project }' : `has no project '${name}'`}; projects: ${names.join(', ') || 'none'}`,
    );
  }
  const lastUpdatedAt = r.lastUpdated ? isoFromTimestamp(r.lastUpdated) : new Date(0).toISOString();
  const mine = <T extends { spec?: { project: string } }>(list: T[]) => list.filter((o) => o.spec?.project === name);
  const other = create(RegistrySchema, {
    entities: r.entities.filter((o) => o.spec?.project !== name),
    dataSources: r.dataSources.filter((s) => s.project !== name),
    featureViews: r.featureViews.filter((o) => o.spec?.project !== name),
    onDemandFeatureViews: r.onDemandFeatureViews.filter((o) => o.spec?.project !== name),
    streamFeatureViews: r.streamFeatureViews.filter((o) => o.spec?.project !== name),
    featureServices: r.featureServices.filter((o) => o.spec?.project !== name),
    savedDatasets: r.savedDatasets.filter((o) => o.spec?.project !== name),
    projects: r.projects.filter((p) => p.spec?.name !== name),
  });

  const carried: FeastCarriedObject[] = [];
  const out: Record<Collection, Record<string, Stored<unknown>>> = {
    entities: {},
    dataSources: {},
    featureViews: {},
    streamFeatureViews: {},
    onDemandFeatureViews: {},
    featureServices: {},
    savedDatasets: {},
  };
  /** Maps one object; one that feast-edge cannot represent is kept whole with the reason. */
  async function take<M extends Message>(
    collection: Collection,
    desc: DescMessage,
    object: M,
    objectName: string,
    map: () => unknown,
    extra: (m: M) => object = () => ({}),
  ) {
    try {
      const spec = await map();
      const meta = (object as { meta?: Parameters<typeof times>[0] }).meta;
      const unmodeled = collectUnknown(desc, object);
      out[collection][objectName] = { spec, ...times(meta, lastUpdatedAt), ...extra(object), ...(unmodeled ? { feastUnmodeled: unmodeled } : {}) };
      return true;
    } catch (error) {
      if (!(error instanceof UnmodeledFeastObject || error instanceof InvalidDefinitionError)) throw error;
      const field = RegistrySchema.fields.find((f) => f.message?.typeName === desc.typeName)!;
      const fragment = create(RegistrySchema, { [field.localName]: [object] });
      carried.push({ kind: KIND_LABEL[collection], name: objectName, reason: error.message, registryBytes: toBase64(toBinary(RegistrySchema, fragment)) });
      return false;
    }
  }

  const entities = new Map<string, Entity>();
  let dummyEntity: NonNullable<RegistryDocument['feast']>['dummyEntity'];
  for (const e of mine(r.entities)) {
    const spec = e.spec!;
    if (spec.name === DUMMY_ENTITY_NAME) {
      const unmodeled = collectUnknown(EntitySchema, e);
      dummyEntity = { ...times(e.meta, lastUpdatedAt), ...(unmodeled ? { feastUnmodeled: unmodeled } : {}) };
      continue;
    }
    await take('entities', EntitySchema, e, spec.name, () => {
      const mapped = entity({ name: spec.name, joinKeys: [spec.joinKey || spec.name], valueType: entityType(e, r), ...metadataFromFeast(spec) });
      entities.set(spec.name, mapped);
      return toStorable(mapped);
    });
  }
  const sources = new Map<string, DataSource>();
  const carriedSources = new Set<string>();
  for (const s of r.dataSources.filter((o) => o.project === name)) {
    const ok = await take('dataSources', DataSourceSchema, s, s.name, () => {
      const mapped = sourceFromFeast(s, `data source '${s.name}'`);
      sources.set(s.name, mapped);
      return toStorable(mapped);
    });
    if (!ok) carriedSources.add(s.name);
  }
  const ctx: ReadContext = { entities, sources, carriedSources };
  const featureViews = new Map<string, readonly string[]>();
  for (const v of mine(r.featureViews)) {
    await take(
      'featureViews',
      FeatureViewSchema,
      v,
      v.spec!.name,
      () => {
        const mapped = featureViewFromFeast(v, ctx);
        featureViews.set(
          mapped.name,
          mapped.features.map((f) => f.name),
        );
        return toStorable(mapped);
      },
      (m) => ({
        materializationIntervals: (m.meta?.materializationIntervals ?? []).map((i) => ({
          start: isoFromTimestamp(i.startTime!),
          end: isoFromTimestamp(i.endTime!),
        })),
      }),
    );
  }
  for (const v of mine(r.streamFeatureViews)) {
    await take('streamFeatureViews', StreamFeatureViewSchema, v, v.spec!.name, () => toStorable(streamFeatureViewFromFeast(v, ctx)));
  }
  for (const v of mine(r.onDemandFeatureViews)) {
    await take('onDemandFeatureViews', OnDemandFeatureViewSchema, v, v.spec!.name, () => onDemandViewFromFeast(v, { ...ctx, featureViews }));
  }
  const viewKinds = new Map<string, FeatureViewProjection['viewKind']>([
    ...Object.keys(out.featureViews).map((n) => [n, 'featureView'] as const),
    ...Object.keys(out.onDemandFeatureViews).map((n) => [n, 'onDemandFeatureView'] as const),
    ...Object.keys(out.streamFeatureViews).map((n) => [n, 'streamFeatureView'] as const),
  ]);
  for (const s of mine(r.featureServices)) {
    const spec = s.spec!;
    await take('featureServices', FeatureServiceSchema, s, spec.name, () =>
      toStorable(
        featureService({
          name: spec.name,
          features: spec.features.map((p): FeatureViewProjection => {
            const viewKind = viewKinds.get(p.featureViewName);
            if (!viewKind) throw new UnmodeledFeastObject(`feature service '${spec.name}': view '${p.featureViewName}' is not modeled by feast-edge`);
            return {
              kind: 'projection',
              viewName: p.featureViewName,
              viewKind,
              ...(p.featureViewNameAlias !== '' ? { alias: p.featureViewNameAlias } : {}),
              features: p.featureColumns.map((c) => c.name),
              joinKeyMap: { ...p.joinKeyMap },
            };
          }),
          ...metadataFromFeast(spec),
        }),
      ),
    );
  }
  for (const d of mine(r.savedDatasets)) {
    const spec = d.spec!;
    await take('savedDatasets', SavedDatasetSchema, d, spec.name, (): SavedDataset => {
      if (spec.storage?.kind.case !== 'fileStorage') throw new UnmodeledFeastObject(`saved dataset '${spec.name}': its storage is not a file`);
      return {
        kind: 'savedDataset',
        name: spec.name,
        features: [...spec.features],
        joinKeys: [...spec.joinKeys],
        fullFeatureNames: spec.fullFeatureNames,
        ...(spec.featureServiceName !== '' ? { featureServiceName: spec.featureServiceName } : {}),
        storage: { format: 'parquet', path: spec.storage.kind.value.uri },
        ...(d.meta?.minEventTimestamp ? { minEventTimestamp: isoFromTimestamp(d.meta.minEventTimestamp) } : {}),
        ...(d.meta?.maxEventTimestamp ? { maxEventTimestamp: isoFromTimestamp(d.meta.maxEventTimestamp) } : {}),
        ...(Object.keys(spec.tags).length > 0 ? { tags: { ...spec.tags } } : {}),
      };
    });
  }

  const p = r.projects.find((x) => x.spec?.name === name);
  const projectUnmodeled = p ? collectUnknown(ProjectSchema, p) : undefined;
  const otherBytes = toBinary(RegistrySchema, other);
  const doc: RegistryDocument = {
    formatVersion: 1,
    project: projectSpec({ name, ...(p?.spec ? metadataFromFeast(p.spec) : {}) }),
    version: 0,
    lastUpdatedAt,
    ...(out as unknown as Pick<RegistryDocument, Collection>),
    feast: {
      ...(r.$unknown?.length ? { registryFields: toBase64(encodeUnknown(r.$unknown)) } : {}),
      ...(carried.length > 0 ? { carriedObjects: carried } : {}),
      ...(otherBytes.length > 0 ? { otherProjects: toBase64(otherBytes) } : {}),
      ...(p ? { project: { ...times(p.meta, lastUpdatedAt), ...(projectUnmodeled ? { feastUnmodeled: projectUnmodeled } : {}) } } : {}),
      ...(dummyEntity ? { dummyEntity } : {}),
    },
  };
  // The same checks as any registry document: a mapping mistake fails here, naming the object.
  return parseRegistryDocument(JSON.parse(JSON.stringify(doc)));
}
