import * as v from 'valibot';
import type { RequestSource } from './data-source.js';
import { InvalidDefinitionError } from '../errors.js';
import type { FeatureView } from './feature-view.js';
import { fieldDefinition, type Field } from './field.js';
import { toProjection, type FeatureViewProjection, type ProjectionOf } from './projection.js';
import type { RequestFields } from './typed-refs.js';
import { object } from './schema-issue.js';
import { assertUnique, checkSpec, kindOrValue, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

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

const SOURCES = 'expected a non-empty array of feature views, projections or request sources';
const OUTPUTS = 'expected a non-empty array of output fields';
const onDemandSource = v.object({ kind: v.picklist(['requestSource', 'featureView', 'projection']) });
const onDemandFeatureViewSpec = v.pipe(
  object(
    {
      name: safeName,
      sources: v.pipe(
        v.array(v.unknown(), SOURCES),
        v.minLength(1, SOURCES),
        v.check(
          (sources) => sources.every((source) => v.is(onDemandSource, source)),
          (issue) => `unsupported source ${kindOrValue((issue.input as unknown[]).find((source) => !v.is(onDemandSource, source)))}`,
        ),
      ),
      schema: v.pipe(v.array(fieldDefinition, OUTPUTS), v.minLength(1, OUTPUTS)),
      // Anything but a function counts as absent, as it always has.
      transform: v.optional(v.unknown()),
      transformColumns: v.optional(v.unknown()),
      ...metadataEntries,
    },
    'expected an object',
  ),
  v.check(
    (spec) => (typeof spec.transform === 'function') !== (typeof spec.transformColumns === 'function'),
    'expected exactly one of transform (rows) or transformColumns (columns)',
  ),
);

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
  checkSpec(onDemandFeatureViewSpec, spec, 'onDemandFeatureView');
  const where = `onDemandFeatureView '${spec.name}'`;
  const hasRows = typeof spec.transform === 'function';
  const sources: FeatureViewProjection[] = [];
  const requestSources: RequestSource[] = [];
  for (const source of spec.sources) {
    if (source.kind === 'requestSource') requestSources.push(source);
    else sources.push(toProjection(source));
  }
  assertUnique(
    spec.schema.map((f) => f.name),
    `${where}.schema`,
  );
  const transform = hasRows ? spec.transform : spec.transformColumns;
  const view: OnDemandFeatureView = {
    kind: 'onDemandFeatureView',
    name: spec.name,
    sources,
    requestSources,
    features: [...spec.schema],
    mode: hasRows ? 'rows' : 'columns',
    transformSource: String(transform),
    ...(hasRows ? { transform: spec.transform } : { transformColumns: spec.transformColumns }),
    ...metadata(spec),
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
