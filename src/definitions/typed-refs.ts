/**
 * Types only: how a definition's type is derived from its spec, so `featureView(...)`
 * knows its name, features and join keys, and a typed store can check references.
 * Anything not known at compile time (a `string` name, a plain `Field`) stays `string`.
 * Views, projections and aggregations are matched by shape, so the modules declaring
 * them can import this one without a cycle.
 */
import type { RequestSource } from './data-source.js';
import type { Entity } from './entity.js';
import type { Field } from './field.js';
import type { ScalarType, ValueType } from './value-type.js';

/** A projection as `projection()` types it (FeatureViewProjection, by shape). */
interface ProjectionShape<V extends string = string, F extends string = string, A = string | undefined, M = object> {
  readonly kind: 'projection';
  readonly viewName: V;
  readonly alias?: A;
  readonly features: readonly F[];
  readonly joinKeyMap: M;
}

/** An aggregation as a stream view's spec lists it (AggregationSpec, by shape). */
interface AggregationShape {
  readonly column: string;
}

/** The join key of each entity of `E`, as a field of the entity's key type. */
export type JoinKeyFields<E extends Entity> = E extends Entity<string, infer K, infer T> ? Field<K, T> : never;

/** The join-key names of entities `E`; `string` when one of them is not known. */
export type JoinKeyNames<E extends Entity> = E['joinKeys'][0];

/** The schema fields that are features: all but the entities' join keys. */
export type FeatureFields<F extends Field, E extends Entity> = string extends JoinKeyNames<E> ? F : Exclude<F, { readonly name: JoinKeyNames<E> }>;

/** The schema columns a stream view's aggregations may read: all but the join keys. */
export type EventColumnNames<S extends Field, E extends Entity> = string extends JoinKeyNames<E> ? S['name'] : Exclude<S['name'], JoinKeyNames<E>>;

/** The literal columns of aggregations `A` that are not in `C` (a column computed at run time is left to the run-time check). */
type UnknownColumns<A extends readonly AggregationShape[], C extends string> = A[number]['column'] extends infer X
  ? X extends C
    ? never
    : string extends X
      ? never
      : X
  : never;

/**
 * Nothing when every literal aggregation column is one of `C`; else a requirement the
 * spec fails, so the misspelt column is a compile error naming the valid columns.
 */
export type CheckedAggregations<A extends readonly AggregationShape[], C extends string> = [UnknownColumns<A, C>] extends [never]
  ? unknown
  : { readonly aggregations: readonly { readonly column: C }[] };

/** The fields of request sources `R`. */
export type RequestFields<R> = R extends RequestSource<string, infer F> ? F : never;

/** Anything with a name and features, as projections and services take it. */
export interface NamedWithFeatures {
  readonly kind: string;
  readonly name: string;
  readonly features: readonly Field[];
}

/** The feature names a view or projection offers. */
export type FeatureNameOf<P> = P extends ProjectionShape<string, infer F> ? F : P extends NamedWithFeatures ? P['features'][number]['name'] : never;

/** The name of the view a view or projection reads. */
export type ViewNameOf<P> = P extends ProjectionShape<infer V> ? V : P extends { readonly name: infer N extends string } ? N : never;

/** The alias a projection already has (views have none). */
export type AliasOf<P> = P extends ProjectionShape<string, string, infer A> ? A : undefined;

/** The join-key names a projection may map: the view's keys (any name for projections and on-demand views). */
export type MappableJoinKeys<P> = P extends { readonly kind: 'featureView' | 'streamFeatureView'; readonly entityColumns: readonly (infer K extends Field)[] }
  ? K['name']
  : string;

/** The join-key map a projection already has. */
export type JoinKeyMapOf<P> = P extends ProjectionShape<string, string, unknown, infer M> ? M : {};

/** `B` with the entries of `M` added or replaced. */
export type MergedJoinKeyMap<B, M> = string extends keyof B | keyof M
  ? Readonly<Record<string, string>>
  : { readonly [K in keyof B | keyof M]: K extends keyof M ? M[K] : K extends keyof B ? B[K] : never };

/** Feast's `<fn>_<column>_<window>`: the window as written, lowercased; a number is seconds ('3600s'). */
export type WindowLabel<W> = W extends number
  ? number extends W
    ? string
    : `${W}s`
  : W extends string
    ? string extends W
      ? string
      : W extends ` ${string}` | `${string} `
        ? string
        : Lowercase<W>
    : string;

/** An aggregate's value type, as at run time: count int64, mean float64, sum int64 or float64, else the input's. */
export type AggregateType<Fn, T> = ValueType extends T
  ? ValueType
  : Fn extends 'count'
    ? ScalarType<'Int64'>
    : Fn extends 'mean'
      ? ScalarType<'Float64'>
      : Fn extends 'sum'
        ? T extends ScalarType<'Int32' | 'Int64'>
          ? ScalarType<'Int64'>
          : ScalarType<'Float64'>
        : T;

/** The output field of each aggregation in `A` over event columns `S`. */
export type AggregationFields<A, S extends Field> = A extends {
  readonly column: infer C extends string;
  readonly fn: infer Fn extends string;
  readonly window: infer W;
}
  ? Field<
      'name' extends keyof A ? (A['name'] extends string ? A['name'] : string) : `${Fn}_${C}_${WindowLabel<W>}`,
      AggregateType<Fn, string extends C ? ValueType : Extract<S, { readonly name: C }>['dtype']>
    >
  : Field;
