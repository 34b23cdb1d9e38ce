import { describeChoices, InvalidDefinitionError } from '../definitions/errors.js';
import type { FeatureViewProjection } from '../definitions/index.js';
import type { RegistryDocument } from './document.js';
import { ConflictingObjectNamesError } from './errors.js';

/**
 * Checks the references between objects once they are merged: views name applied
 * entities, on-demand views and services name existing views and features, and a name
 * is not shared by a feature view and an on-demand view.
 */
export function validateDocument(doc: RegistryDocument): void {
  for (const { spec: view } of Object.values(doc.featureViews)) {
    for (const entity of view.entities) {
      if (!doc.entities[entity]) {
        throw new InvalidDefinitionError(`featureView '${view.name}'.entities: entity '${entity}' is not applied; ${describeChoices(Object.keys(doc.entities))}`);
      }
    }
    if (doc.onDemandFeatureViews[view.name]) {
      throw new ConflictingObjectNamesError(`'${view.name}' names both a feature view and an on-demand feature view`);
    }
  }
  for (const { spec: view } of Object.values(doc.onDemandFeatureViews)) {
    view.sources.forEach((p, i) => checkProjection(doc, p, `onDemandFeatureView '${view.name}'.sources[${i}]`, false));
  }
  for (const { spec: service } of Object.values(doc.featureServices)) {
    service.projections.forEach((p, i) => checkProjection(doc, p, `featureService '${service.name}'.features[${i}]`, true));
  }
}

function checkProjection(doc: RegistryDocument, p: FeatureViewProjection, where: string, allowOnDemand: boolean): void {
  const view = doc.featureViews[p.viewName]?.spec ?? (allowOnDemand ? doc.onDemandFeatureViews[p.viewName]?.spec : undefined);
  if (!view) {
    const valid = [...Object.keys(doc.featureViews), ...(allowOnDemand ? Object.keys(doc.onDemandFeatureViews) : [])];
    throw new InvalidDefinitionError(`${where}: view '${p.viewName}' is not applied; ${describeChoices(valid)}`);
  }
  const names = view.features.map((f) => f.name);
  for (const feature of p.features) {
    if (!names.includes(feature)) {
      throw new InvalidDefinitionError(`${where}: '${p.viewName}' has no feature '${feature}'; ${describeChoices(names)}`);
    }
  }
}

/** Entities still used by a view cannot be deleted on their own. */
export function assertNotInUse(doc: RegistryDocument, kind: string, name: string): void {
  if (kind === 'entity') {
    const users = Object.values(doc.featureViews).filter((v) => v.spec.entities.includes(name)).map((v) => v.spec.name);
    if (users.length > 0) throw new InvalidDefinitionError(`entity '${name}' cannot be deleted: feature views ${users.join(', ')} use it`);
  }
  if (kind === 'featureView' || kind === 'onDemandFeatureView') {
    const users = Object.values(doc.featureServices).filter((s) => s.spec.projections.some((p) => p.viewName === name)).map((s) => s.spec.name);
    if (users.length > 0) throw new InvalidDefinitionError(`${kind} '${name}' cannot be deleted: feature services ${users.join(', ')} use it`);
  }
}
