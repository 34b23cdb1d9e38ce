import * as v from 'valibot';
import type { OnDemandFeatureView, TransformColumns, TransformRow } from './on-demand-feature-view.js';
import { object } from './schema-issue.js';
import { checkSpec, safeName } from './validate.js';

/**
 * The TypeScript code of an on-demand view defined elsewhere: a view read from Feast's
 * registry.db carries Python, which feast-edge cannot run, so a repo supplies the same
 * computation in TypeScript under the view's name. The view's sources, request data and
 * output schema stay those of the registry; only the code comes from here. Not applied
 * to the registry: it is code, like a view's transform.
 */
export interface OnDemandTransform<N extends string = string> {
  readonly kind: 'onDemandTransform';
  /** The on-demand view it computes. */
  readonly name: N;
  readonly mode: 'rows' | 'columns';
  readonly transformSource: string;
  readonly transform?: (row: TransformRow) => TransformRow;
  readonly transformColumns?: (columns: TransformColumns) => TransformColumns;
}

export interface OnDemandTransformSpec<N extends string = string> {
  /** The name of the on-demand view in the registry. */
  view: N;
  /** Row transform: one input row (source features by name, request fields) in, the outputs out. */
  transform?: (row: TransformRow) => TransformRow;
  /** Columnar transform: input columns in, output columns of the same length out (pandas mode's shape). */
  transformColumns?: (columns: TransformColumns) => TransformColumns;
}

const onDemandTransformSpec = v.pipe(
  object({ view: safeName, transform: v.optional(v.unknown()), transformColumns: v.optional(v.unknown()) }, 'expected an object'),
  v.check(
    (spec) => (typeof spec.transform === 'function') !== (typeof spec.transformColumns === 'function'),
    'expected exactly one of transform (rows) or transformColumns (columns)',
  ),
);

/**
 * Supplies the TypeScript transform of an on-demand view whose code is not TypeScript
 * (Feast's Python views read from registry.db). Export it from any module of the repo.
 * @example
 * // Feast: df["conv_rate_plus_val1"] = inputs["conv_rate"] + inputs["val_to_add"]
 * export const convRate = onDemandTransform({
 *   view: 'transformed_conv_rate',
 *   transform: (row) => ({ conv_rate_plus_val1: row.conv_rate == null || row.val_to_add == null ? null : Number(row.conv_rate) + Number(row.val_to_add) }),
 * });
 */
export function onDemandTransform<const N extends string>(spec: OnDemandTransformSpec<N>): OnDemandTransform<N> {
  checkSpec(onDemandTransformSpec, spec, 'onDemandTransform');
  const rows = typeof spec.transform === 'function';
  return Object.freeze({
    kind: 'onDemandTransform',
    name: spec.view,
    mode: rows ? 'rows' : 'columns',
    transformSource: String(rows ? spec.transform : spec.transformColumns),
    ...(rows ? { transform: spec.transform } : { transformColumns: spec.transformColumns }),
  });
}

export function isOnDemandTransform(value: unknown): value is OnDemandTransform {
  return (value as { kind?: unknown } | null)?.kind === 'onDemandTransform';
}

/**
 * The supplied transforms of a module's exports (directly or in arrays), or of a list.
 * The first for a view wins (loadDefinitions refuses two different ones across a repo's files).
 */
export function collectOnDemandTransforms(definitions: Record<string, unknown> | readonly unknown[]): OnDemandTransform[] {
  const found = new Map<string, OnDemandTransform>();
  const values = Array.isArray(definitions) ? definitions : Object.values(definitions);
  for (const value of values) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (isOnDemandTransform(item) && !found.has(item.name)) found.set(item.name, item);
    }
  }
  return [...found.values()];
}

/**
 * The code a store runs for a view: the supplied transform in the shape of a view's code.
 * Only the name, mode, source text and functions are read from it; the view's sources
 * and schema are the registry's.
 */
export function transformAsViewCode(supplied: OnDemandTransform): OnDemandFeatureView {
  return {
    kind: 'onDemandFeatureView',
    name: supplied.name,
    sources: [],
    requestSources: [],
    features: [],
    mode: supplied.mode,
    transformSource: supplied.transformSource,
    ...(supplied.transform ? { transform: supplied.transform } : { transformColumns: supplied.transformColumns }),
  };
}
