import type { FeastObject, OnDemandFeatureView, StreamFeatureView } from '../definitions/index.js';
import { entryOf, streamViewsOf, type RegistryDocument } from './document.js';
import { TransformMismatchError } from '../errors.js';
import { transformHashOf } from './serialize.js';

export interface TransformCheck {
  /** Loaded on-demand and stream views whose transform hash equals the stored one. */
  readonly matching: readonly string[];
  /** Loaded on-demand and stream views stored with another transform hash. */
  readonly differing: readonly string[];
}

/**
 * The transform's text without what transpilers and minifiers disagree on: whitespace,
 * trailing commas, quote style and parentheses around a lone arrow parameter. The same
 * definitions module loaded by jiti (the CLI) and bundled by Vite (a worker) print one
 * function differently (`(row) => ({\n  a: 1,\n})` and `row=>({a:1})`).
 */
export function formatFreeTransformText(source: string): string {
  return source
    .replace(/\s+/g, '')
    .replace(/,(?=[)}\]])/g, '')
    .replace(/'/g, '"')
    .replace(/\(([A-Za-z_$][\w$]*)\)=>/g, '$1=>');
}

/**
 * Compares the transforms of the loaded definitions with what a registry recorded when
 * it was applied: equal `transformHash` (SHA-256 of the transform's source text), or,
 * when another transpiler printed the same code, equal format-free text. Views only one
 * side has are neither: apply adds them, and stored views without code do not run.
 */
export async function checkTransforms(document: RegistryDocument, definitions: readonly FeastObject[]): Promise<TransformCheck> {
  const matching: string[] = [];
  const differing: string[] = [];
  const loaded = definitions.filter((o): o is OnDemandFeatureView | StreamFeatureView => o.kind === 'onDemandFeatureView' || o.kind === 'streamFeatureView');
  for (const view of loaded) {
    const stored = view.kind === 'onDemandFeatureView' ? entryOf(document.onDemandFeatureViews, view.name) : entryOf(streamViewsOf(document), view.name);
    if (!stored) continue;
    const storedText = stored.spec.transformSource;
    // Stream views may have no transform: none on both sides is nothing to check; one side only differs.
    if (view.transformSource === undefined || storedText === undefined) {
      if (view.transformSource !== storedText) differing.push(view.name);
      continue;
    }
    const same =
      stored.spec.transformHash === (await transformHashOf({ transformSource: view.transformSource })) ||
      (typeof storedText === 'string' && formatFreeTransformText(storedText) === formatFreeTransformText(view.transformSource));
    (same ? matching : differing).push(view.name);
  }
  return { matching: matching.sort(), differing: differing.sort() };
}

/** Refuses a registry whose transforms differ from the loaded code (TransformMismatchError naming each view). */
export async function assertTransformsMatch(document: RegistryDocument, definitions: readonly FeastObject[]): Promise<string[]> {
  const { matching, differing } = await checkTransforms(document, definitions);
  if (differing.length > 0) throw new TransformMismatchError(document.project.name, differing);
  return [...matching];
}
