import type { FeatureViewProjection } from '../../src/definitions/index.js';
import type { RegistryDocument } from '../../src/registry/document.js';

/** One selectable group of features: a view (batch or on-demand) and its feature names. */
export interface FeatureGroup {
  readonly view: string;
  readonly kind: 'featureView' | 'onDemandFeatureView';
  readonly features: readonly string[];
  /** Why its features cannot be requested here (a Python on-demand view), or undefined. */
  readonly unavailable?: string;
}

/** The reason shown for an on-demand view whose transform is Feast's Python function: this page runs TypeScript only. */
export const NEEDS_TYPESCRIPT = 'needs a TypeScript transform';

/** Why an on-demand view cannot run here (its transform is Python), or undefined. */
export function unavailableView(doc: RegistryDocument, viewName: string): string | undefined {
  const spec = doc.onDemandFeatureViews[viewName]?.spec;
  return spec?.transformLanguage === 'python'
    ? `${NEEDS_TYPESCRIPT}: '${viewName}' is a Python on-demand view (${spec.feastUdf?.mode ?? 'python'} mode)`
    : undefined;
}

/** Why a feature service cannot be requested here (it reads a Python on-demand view), or undefined. */
export function unavailableService(doc: RegistryDocument, serviceName: string): string | undefined {
  const views = (doc.featureServices[serviceName]?.spec.projections ?? []).filter((p) => unavailableView(doc, p.viewName)).map((p) => p.viewName);
  return views.length > 0 ? `${NEEDS_TYPESCRIPT} for ${views.join(', ')}` : undefined;
}

export function featureGroups(doc: RegistryDocument): FeatureGroup[] {
  return [
    ...Object.values(doc.featureViews).map(({ spec }) => ({ view: spec.name, kind: 'featureView' as const, features: spec.features.map((f) => f.name) })),
    ...Object.values(doc.onDemandFeatureViews).map(({ spec }) => ({
      view: spec.name,
      kind: 'onDemandFeatureView' as const,
      features: spec.features.map((f) => f.name),
      unavailable: unavailableView(doc, spec.name),
    })),
  ];
}

/** A column the entity rows must have, and the view that needs it. */
export interface RequiredColumn {
  readonly column: string;
  readonly neededBy: string;
}

/** The projections a request reads: a service's, or one per view named in `view:feature` refs. */
function projectionsOf(
  doc: RegistryDocument,
  selection: { features?: readonly string[]; featureService?: string },
): { viewName: string; joinKeyMap: Readonly<Record<string, string>> }[] {
  if (selection.featureService) return [...(doc.featureServices[selection.featureService]?.spec.projections ?? [])];
  const views = new Set((selection.features ?? []).map((ref) => ref.split(':')[0]));
  return [...views].map((viewName) => ({ viewName, joinKeyMap: {} }));
}

function addViewColumns(
  doc: RegistryDocument,
  viewName: string,
  joinKeyMap: Readonly<Record<string, string>>,
  out: Map<string, string>,
  seen: Set<string>,
): void {
  if (seen.has(viewName)) return;
  seen.add(viewName);
  const view = doc.featureViews[viewName]?.spec;
  if (view) {
    for (const key of view.entityColumns) if (!out.has(joinKeyMap[key.name] ?? key.name)) out.set(joinKeyMap[key.name] ?? key.name, viewName);
    return;
  }
  const onDemand = doc.onDemandFeatureViews[viewName]?.spec;
  if (!onDemand) return;
  for (const source of onDemand.sources as readonly FeatureViewProjection[]) addViewColumns(doc, source.viewName, source.joinKeyMap, out, seen);
  for (const request of onDemand.requestSources) for (const field of request.schema) if (!out.has(field.name)) out.set(field.name, viewName);
}

/**
 * The columns an entity file needs for a selection of features: the join keys of every
 * view read (through a projection's join-key map), the request fields of on-demand views,
 * and the event timestamp. What the page checks before it asks the worker.
 */
export function requiredEntityColumns(doc: RegistryDocument, selection: { features?: readonly string[]; featureService?: string }): RequiredColumn[] {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const projection of projectionsOf(doc, selection)) addViewColumns(doc, projection.viewName, projection.joinKeyMap, out, seen);
  return [...out].map(([column, neededBy]) => ({ column, neededBy }));
}
