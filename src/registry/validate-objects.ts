import { describeChoices, InvalidDefinitionError } from '../errors.js';
import { formatValueType, type FeatureViewProjection } from '../definitions/index.js';
import { assertNoOutputShadowsInput } from '../definitions/on-demand-feature-view.js';
import { entryOf, streamViewsOf, type RegistryDocument } from './document.js';
import { ConflictingFeatureViewNames, DataSourceRepeatNamesException } from '../errors.js';
import { canonicalJson, type Collection } from './serialize.js';

/** One object of an apply, after expansion: `origin` says where it came from, for messages. */
export interface ApplyItem {
  readonly kind: string;
  readonly name: string;
  readonly collection: Collection;
  readonly canonical: string;
  readonly origin: string;
}

/**
 * Checks one apply on its own: a name may appear twice within a kind only as the same
 * definition (a source shared by two views), and nothing is both applied and deleted.
 */
export function validateApplyObjects(items: readonly ApplyItem[], deletes: readonly { collection: Collection; name: string }[]): void {
  const seen = new Map<string, ApplyItem>();
  for (const item of items) {
    const key = `${item.collection}/${item.name}`;
    const earlier = seen.get(key);
    if (!earlier) {
      seen.set(key, item);
      continue;
    }
    if (earlier.canonical === item.canonical) continue;
    const detail = `${earlier.origin} differs from ${item.origin}`;
    if (item.collection === 'dataSources') throw new DataSourceRepeatNamesException(item.name, detail);
    throw new InvalidDefinitionError(`apply: two different ${item.kind} definitions are named '${item.name}' (${detail})`);
  }
  for (const d of deletes) {
    const applied = seen.get(`${d.collection}/${d.name}`);
    if (applied) throw new InvalidDefinitionError(`apply: '${d.name}' is both applied (${applied.origin}) and deleted`);
  }
}

/**
 * Checks the references between objects of the merged registry: views name applied
 * entities with the join keys they were defined with, on-demand views and services name
 * existing views and features, and no name is shared by two kinds of view.
 */
export function validateRegistry(doc: RegistryDocument): void {
  checkViewNames(doc);
  for (const { spec: view } of Object.values(doc.featureViews)) {
    view.entities.forEach((name, i) => {
      const entity = entryOf(doc.entities, name)?.spec;
      const where = `featureView '${view.name}'.entities[${i}]`;
      if (!entity) throw new InvalidDefinitionError(`${where}: entity '${name}' is not applied; ${describeChoices(Object.keys(doc.entities))}`);
      const column = view.entityColumns[i];
      if (column?.name !== entity.joinKeys[0] || formatValueType(column.dtype) !== formatValueType(entity.valueType)) {
        throw new InvalidDefinitionError(
          `${where}: entity '${name}' joins on '${entity.joinKeys[0]}' (${formatValueType(entity.valueType)}) but the view was defined with ` +
            `'${column?.name}' (${column ? formatValueType(column.dtype) : 'none'}); apply the view again with the current entity`,
        );
      }
    });
    checkEmbeddedSource(doc, view.batchSource, `featureView '${view.name}'.batchSource`);
    if (view.streamSource) checkEmbeddedSource(doc, view.streamSource, `featureView '${view.name}'.source`);
  }
  for (const { spec: view } of Object.values(streamViewsOf(doc))) {
    view.entities.forEach((name, i) => {
      const entity = entryOf(doc.entities, name)?.spec;
      const where = `streamFeatureView '${view.name}'.entities[${i}]`;
      if (!entity) throw new InvalidDefinitionError(`${where}: entity '${name}' is not applied; ${describeChoices(Object.keys(doc.entities))}`);
      const column = view.entityColumns[i];
      if (column?.name !== entity.joinKeys[0] || formatValueType(column.dtype) !== formatValueType(entity.valueType)) {
        throw new InvalidDefinitionError(
          `${where}: entity '${name}' joins on '${entity.joinKeys[0]}' (${formatValueType(entity.valueType)}); apply the view again with the current entity`,
        );
      }
    });
    checkEmbeddedSource(doc, view.batchSource, `streamFeatureView '${view.name}'.source.batchSource`);
    checkEmbeddedSource(doc, view.source, `streamFeatureView '${view.name}'.source`);
  }
  for (const { spec: source } of Object.values(doc.dataSources)) {
    if (source.kind === 'pushSource') checkEmbeddedSource(doc, source.batchSource, `pushSource '${source.name}'.batchSource`);
  }
  for (const { spec: view } of Object.values(doc.onDemandFeatureViews)) {
    view.requestSources.forEach((r, i) => checkEmbeddedSource(doc, r, `onDemandFeatureView '${view.name}'.requestSources[${i}]`));
    view.sources.forEach((p, i) => checkProjection(doc, p, `onDemandFeatureView '${view.name}'.sources[${i}]`, false));
    assertNoOutputShadowsInput(view);
  }
  for (const { spec: service } of Object.values(doc.featureServices)) {
    service.projections.forEach((p, i) => checkProjection(doc, p, `featureService '${service.name}'.features[${i}]`, true));
  }
}

/**
 * Views and push sources keep their own copy of their sources; a source re-applied alone
 * would leave that copy stale without a word, so the two must agree.
 */
function checkEmbeddedSource(doc: RegistryDocument, source: { name: string }, where: string): void {
  const registered = entryOf(doc.dataSources, source.name)?.spec;
  if (registered && canonicalJson(registered) !== canonicalJson(source)) {
    throw new InvalidDefinitionError(
      `${where}: data source '${source.name}' in the registry differs from this copy; apply this object again with the current source`,
    );
  }
}

/** Feast refuses view names that differ only in case, and one name for two kinds of view. */
function checkViewNames(doc: RegistryDocument): void {
  const seen = new Map<string, { name: string; kind: string }>();
  const views = [
    ...Object.keys(doc.featureViews).map((name) => ({ name, kind: 'featureView' })),
    ...Object.keys(doc.onDemandFeatureViews).map((name) => ({ name, kind: 'onDemandFeatureView' })),
    ...Object.keys(streamViewsOf(doc)).map((name) => ({ name, kind: 'streamFeatureView' })),
  ];
  for (const view of views) {
    const earlier = seen.get(view.name.toLowerCase());
    seen.set(view.name.toLowerCase(), view);
    if (!earlier) continue;
    const detail = `${earlier.kind} '${earlier.name}' and ${view.kind} '${view.name}'`;
    if (earlier.kind !== view.kind) throw new ConflictingFeatureViewNames(view.name, detail);
    throw new InvalidDefinitionError(`${view.kind} names must be unique ignoring case: ${detail}`);
  }
}

const VIEW_KIND_LABEL: Record<FeatureViewProjection['viewKind'], string> = {
  featureView: 'feature view',
  onDemandFeatureView: 'on-demand feature view',
  streamFeatureView: 'stream feature view',
};

function checkProjection(doc: RegistryDocument, p: FeatureViewProjection, where: string, allowOtherKinds: boolean): void {
  const collections = {
    featureView: doc.featureViews,
    onDemandFeatureView: doc.onDemandFeatureViews,
    streamFeatureView: streamViewsOf(doc),
  } as const;
  const valid = allowOtherKinds ? Object.values(collections).flatMap((c) => Object.keys(c)) : Object.keys(doc.featureViews);
  if (!allowOtherKinds && p.viewKind !== 'featureView') {
    throw new InvalidDefinitionError(
      `${where}: '${p.viewName}' is a ${VIEW_KIND_LABEL[p.viewKind]}, not a feature view; sources must be feature views or request sources`,
    );
  }
  const view = entryOf<{ spec: { kind: string; name: string; features: readonly { name: string }[]; entityColumns?: readonly { name: string }[] } }>(
    collections[p.viewKind] as Record<string, never>,
    p.viewName,
  )?.spec;
  if (!view) {
    const other = (Object.keys(collections) as (keyof typeof collections)[]).find(
      (kind) => kind !== p.viewKind && entryOf<unknown>(collections[kind], p.viewName),
    );
    const note = other
      ? ` (${/^[aeiou]/.test(VIEW_KIND_LABEL[other]) ? 'an' : 'a'} ${VIEW_KIND_LABEL[other]} of that name exists; re-create the projection)`
      : '';
    throw new InvalidDefinitionError(`${where}: ${VIEW_KIND_LABEL[p.viewKind]} '${p.viewName}' is not applied${note}; ${describeChoices(valid)}`);
  }
  const names = view.features.map((f) => f.name);
  for (const feature of p.features) {
    if (!names.includes(feature)) {
      throw new InvalidDefinitionError(`${where}.features: '${p.viewName}' has no feature '${feature}'; ${describeChoices(names)}`);
    }
  }
  if (view.entityColumns) {
    const keys = view.entityColumns.map((c) => c.name);
    for (const key of Object.keys(p.joinKeyMap)) {
      if (!keys.includes(key)) throw new InvalidDefinitionError(`${where}.joinKeyMap: '${key}' is not a join key of '${view.name}'; ${describeChoices(keys)}`);
    }
  }
}

/** Objects that still use the named object, as `kind 'name'` strings. */
function usersOf(doc: RegistryDocument, kind: string, name: string): string[] {
  const views = Object.values(doc.featureViews).map((v) => v.spec);
  const onDemand = Object.values(doc.onDemandFeatureViews).map((v) => v.spec);
  const services = Object.values(doc.featureServices).map((s) => s.spec);
  const streams = Object.values(streamViewsOf(doc)).map((v) => v.spec);
  const label = (k: string, n: string) => `${k} '${n}'`;
  switch (kind) {
    case 'entity':
      return [
        ...views.filter((v) => v.entities.includes(name)).map((v) => label('featureView', v.name)),
        ...streams.filter((v) => v.entities.includes(name)).map((v) => label('streamFeatureView', v.name)),
      ];
    case 'fileSource':
    case 'pushSource':
      return [
        ...views.filter((v) => v.batchSource.name === name || v.streamSource?.name === name).map((v) => label('featureView', v.name)),
        ...streams.filter((v) => v.batchSource.name === name || v.source.name === name).map((v) => label('streamFeatureView', v.name)),
      ];
    case 'requestSource':
      return onDemand.filter((v) => v.requestSources.some((r) => r.name === name)).map((v) => label('onDemandFeatureView', v.name));
    case 'featureView':
      return [
        ...onDemand.filter((v) => v.sources.some((p) => p.viewName === name)).map((v) => label('onDemandFeatureView', v.name)),
        ...services.filter((s) => s.projections.some((p) => p.viewName === name)).map((s) => label('featureService', s.name)),
      ];
    case 'onDemandFeatureView':
    case 'streamFeatureView':
      return services.filter((s) => s.projections.some((p) => p.viewName === name)).map((s) => label('featureService', s.name));
    default:
      return [];
  }
}

/** An object still used by another cannot be deleted on its own; say who uses it. */
export function assertNotInUse(doc: RegistryDocument, kind: string, name: string): void {
  const users = usersOf(doc, kind, name);
  if (users.length > 0) {
    throw new InvalidDefinitionError(
      `${kind} '${name}' cannot be deleted: ${users.join(', ')} use${users.length === 1 ? 's' : ''} it; delete or change them in the same apply`,
    );
  }
}
