import type { RequestSource } from './data-source.js';
import { InvalidDefinitionError } from '../errors.js';
import type { FeatureView } from './feature-view.js';
import type { Field } from './field.js';
import { toProjection, type FeatureViewProjection, type ProjectionOf } from './projection.js';
import type { RequestFields } from './typed-refs.js';
import { assertName, assertUnique, metadata, type Metadata } from './validate.js';

/** One input row: source features by plain name, plus request fields. */
export type TransformRow = Record<string, unknown>;
/** Inputs as columns: equal-length arrays keyed by name. */
export type TransformColumns = Record<string, ArrayLike<unknown>>;

/**
 * A view computed at request time from other views' features and request data.
 * Holds code (`transform` or `transformColumns`), so unlike other definitions it is not
 * structured-cloneable; the registry stores its source text and hash instead. `N`, `F`,
 * `S` and `R` keep its name, output fields, source projections and request fields.
 */
export interface OnDemandFeatureView<
  N extends string = string,
  F extends Field = Field,
  S extends FeatureViewProjection = FeatureViewProjection,
  R extends Field = Field,
> extends Metadata {
  readonly kind: 'onDemandFeatureView';
  readonly name: N;
  readonly sources: readonly S[];
  readonly requestSources: readonly RequestSource<string, R>[];
  readonly features: readonly F[];
  readonly mode: 'rows' | 'columns';
  /** The transform's source text: stored in the registry so a mismatch with the loaded code shows. */
  readonly transformSource: string;
  readonly transform?: (row: TransformRow) => TransformRow;
  readonly transformColumns?: (columns: TransformColumns) => TransformColumns;
}

export interface OnDemandFeatureViewSpec<
  N extends string = string,
  F extends Field = Field,
  S extends FeatureView | FeatureViewProjection | RequestSource = FeatureView | FeatureViewProjection | RequestSource,
> extends Metadata {
  name: N;
  sources: readonly S[];
  schema: readonly F[];
  /** Row transform: one input row in, the output features out. */
  transform?: (row: TransformRow) => TransformRow;
  /** Columnar transform: input columns in, output columns out (same length). */
  transformColumns?: (columns: TransformColumns) => TransformColumns;
}

/**
 * Declares an on-demand feature view. Its type keeps the name, the output fields (the
 * view's features), the source projections and the request fields.
 * @example onDemandFeatureView({ name: 'conv_plus', sources: [driverStats, valsToAdd],
 *   schema: [field('conv_rate_plus_val', Float64)],
 *   transform: (r) => ({ conv_rate_plus_val: Number(r.conv_rate) + Number(r.val_to_add) }) })
 */
export function onDemandFeatureView<const N extends string, F extends Field, S extends FeatureView | FeatureViewProjection | RequestSource>(
  spec: OnDemandFeatureViewSpec<N, F, S>,
): OnDemandFeatureView<N, F, ProjectionOf<Exclude<S, RequestSource>>, RequestFields<Extract<S, RequestSource>>>;
export function onDemandFeatureView(spec: OnDemandFeatureViewSpec): OnDemandFeatureView {
  assertName(spec?.name, 'onDemandFeatureView.name');
  const where = `onDemandFeatureView '${spec.name}'`;
  const hasRows = typeof spec.transform === 'function';
  const hasColumns = typeof spec.transformColumns === 'function';
  if (hasRows === hasColumns) {
    throw new InvalidDefinitionError(`${where}: expected exactly one of transform (rows) or transformColumns (columns)`);
  }
  if (!Array.isArray(spec.sources) || spec.sources.length === 0) {
    throw new InvalidDefinitionError(`${where}.sources: expected a non-empty array of feature views, projections or request sources`);
  }
  const sources: FeatureViewProjection[] = [];
  const requestSources: RequestSource[] = [];
  for (const source of spec.sources) {
    if (source?.kind === 'requestSource') requestSources.push(source);
    else if (source?.kind === 'featureView' || source?.kind === 'projection') sources.push(toProjection(source));
    else throw new InvalidDefinitionError(`${where}.sources: unsupported source ${JSON.stringify((source as { kind?: unknown })?.kind ?? source)}`);
  }
  if (!Array.isArray(spec.schema) || spec.schema.length === 0) {
    throw new InvalidDefinitionError(`${where}.schema: expected a non-empty array of output fields`);
  }
  assertUnique(spec.schema.map((f) => f.name), `${where}.schema`);
  const transform = hasRows ? spec.transform : spec.transformColumns;
  const view: OnDemandFeatureView = {
    kind: 'onDemandFeatureView', name: spec.name, sources, requestSources,
    features: [...spec.schema], mode: hasRows ? 'rows' : 'columns',
    transformSource: String(transform),
    ...(hasRows ? { transform: spec.transform } : { transformColumns: spec.transformColumns }),
    ...metadata(spec, where),
  };
  // Freeze the data parts; the functions stay as given.
  return Object.freeze(view);
}

/** Request fields an on-demand view needs with each row. */
export function requestFieldsOf(view: OnDemandFeatureView): Field[] {
  return view.requestSources.flatMap((s) => s.schema);
}

/** Checks names line up; used at apply time when every view is known. */
export function assertNoOutputShadowsInput(view: OnDemandFeatureView): void {
  const requestNames = new Set(requestFieldsOf(view).map((f) => f.name));
  for (const f of view.features) {
    if (requestNames.has(f.name)) {
      throw new InvalidDefinitionError(`onDemandFeatureView '${view.name}'.schema: output '${f.name}' has the same name as a request field`);
    }
  }
}
