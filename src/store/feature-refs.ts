/**
 * Types only: what a store typed by its definitions accepts and answers. `D` is the union
 * of the definitions' types (`FeastObject` for a store that knows none, where every
 * reference is a plain `string`).
 */
import type { FeastObject, FeatureService, Field, ValueOf } from '../definitions/index.js';

type Views<D> = Extract<D, { readonly kind: 'featureView' | 'onDemandFeatureView' | 'streamFeatureView'; readonly name: string }>;
type Services<D> = Extract<D, { readonly kind: 'featureService'; readonly name: string }>;
type ViewNamed<D, N> = Extract<Views<D>, { readonly name: N }>;

type RefsOf<V> = V extends { readonly name: infer N extends string; readonly features: readonly (infer F extends Field)[] } ? `${N}:${F['name']}` : never;

/**
 * A `view:feature` reference of definitions `D`: a union of literals for a typed store,
 * `string` when a view's name is not known at compile time.
 * @example type Ref = FeatureRef<(typeof definitions)[number]>; // 'driver_hourly_stats:conv_rate' | ...
 */
export type FeatureRef<D = FeastObject> = string extends Views<D>['name'] ? string : RefsOf<Views<D>>;

/** A feature service name of definitions `D`; `string` when one is not known at compile time. */
export type FeatureServiceName<D = FeastObject> = string extends Services<D>['name'] ? string : Services<D>['name'];

/** The definitions of a `definitions` option: a tuple (`[...] as const`) types the store; any other list does not. */
export type DefinitionsOf<T extends readonly FeastObject[]> = number extends T['length'] ? FeastObject : T[number];

/**
 * Literal references are checked against `D`; a list built at run time (`string[]`) is
 * left to the run-time check. (Written as conditionals that give back `F` and `S`, so
 * they are still inferred from the request, and a misspelling gets "did you mean".)
 */
type CheckedFeatures<D, F extends readonly string[]> = string extends F[number] ? F : F extends readonly FeatureRef<D>[] ? F : readonly FeatureRef<D>[];
type CheckedService<D, S> = S extends string ? (string extends S ? S : S extends FeatureServiceName<D> ? S : FeatureServiceName<D>) : S;

/** The request keys `FeatureSelection` replaces. */
export type SelectionKeys = 'features' | 'featureService' | 'fullFeatureNames';

/**
 * The part of a retrieval request a typed store checks: `features` against the
 * definitions' `view:feature` references, `featureService` against their services.
 * `F`, `S` and `Full` are inferred from the request, so the response can be typed.
 */
export interface FeatureSelection<D, F extends readonly string[], S extends string | FeatureService, Full extends boolean> {
  /** Feature references `view:feature`; give this or `featureService`. */
  features?: CheckedFeatures<D, F>;
  featureService?: CheckedService<D, S>;
  /** Name columns `view__feature` instead of `feature`. */
  fullFeatureNames?: Full;
}

/** One output column: its name and the type of its values. */
interface Column<N extends string = string, V = unknown> {
  name: N;
  value: V;
}
/** A column of unknown name: makes the result an open record. */
type AnyColumn = Column<string, unknown>;

type Prefixed<P extends string, F extends string, Full> = Full extends true ? `${P}__${F}` : F;

type FeatureValue<V, F extends string> = V extends { readonly kind: 'onDemandFeatureView' }
  ? unknown // transforms' outputs are not checked against the schema
  : V extends { readonly features: readonly (infer X extends Field)[] }
    ? ValueOf<Extract<X, { readonly name: F }>['dtype']> | null
    : unknown;

/** A join key renamed by a projection's join-key map. */
type Mapped<K extends string, M> = K extends keyof M ? (M[K] extends string ? M[K] : string) : string extends keyof M ? string : K;

/** The columns a view adds in front of the features: its join keys, or an on-demand view's sources' keys and request data. */
type LeadingColumns<D, V, M> = V extends {
  readonly kind: 'onDemandFeatureView';
  readonly sources: readonly (infer S)[];
  readonly requestSources: readonly { readonly schema: readonly (infer R extends Field)[] }[];
}
  ? SourceKeyColumns<D, S> | (R extends Field ? Column<R['name'], ValueOf<R['dtype']> | null> : never)
  : V extends { readonly entityColumns: readonly (infer K extends Field)[] }
    ? K extends Field
      ? Column<Mapped<K['name'], M>, ValueOf<K['dtype']>>
      : never
    : AnyColumn;

type SourceKeyColumns<D, S> = S extends { readonly viewName: infer V; readonly joinKeyMap: infer M }
  ? [ViewNamed<D, V>] extends [never]
    ? AnyColumn
    : LeadingColumns<D, ViewNamed<D, V>, M>
  : AnyColumn;

/** The columns of `view:feature` references `R`, their views' join keys first. */
type RefColumns<D, R, Full> = R extends `${infer V}:${infer F}`
  ? [ViewNamed<D, V>] extends [never]
    ? AnyColumn
    : Column<Prefixed<V, F, Full>, FeatureValue<ViewNamed<D, V>, F>> | LeadingColumns<D, ViewNamed<D, V>, {}>
  : AnyColumn;

/** The columns of a service's projections `P`: `alias__feature` with full names. */
type ProjectionColumns<D, P, Full> = P extends {
  readonly viewName: infer V extends string;
  readonly alias?: infer A;
  readonly features: readonly (infer F extends string)[];
  readonly joinKeyMap: infer M;
}
  ? string extends V
    ? AnyColumn
    : [ViewNamed<D, V>] extends [never]
      ? AnyColumn
      :
          | (F extends string ? Column<Prefixed<A extends string ? A : V, F, Full>, FeatureValue<ViewNamed<D, V>, F>> : never)
          | LeadingColumns<D, ViewNamed<D, V>, M>
  : AnyColumn;

type ServiceColumns<D, S, Full> =
  S extends FeatureService<string, infer P>
    ? ProjectionColumns<D, P, Full>
    : S extends string
      ? [Extract<Services<D>, { readonly name: S }>] extends [never]
        ? AnyColumn
        : ServiceColumns<D, Extract<Services<D>, { readonly name: S }>, Full>
      : AnyColumn;

type RowOf<C extends Column> = { [X in C as X['name']]: X['value'] };

/**
 * The response row of a retrieval: join keys (and request data) and features by output
 * name, each with its value type (`| null`: a value may be missing), or an open
 * `Record<string, unknown>` where the request or the definitions are not known at
 * compile time (a `string[]` feature list, a non-literal `fullFeatureNames`, an untyped store).
 */
export type ResponseRow<D, F extends readonly string[], S, Full extends boolean> =
  string extends FeatureRef<D>
    ? Record<string, unknown>
    : boolean extends Full
      ? Record<string, unknown>
      : [F] extends [never]
        ? [S] extends [never]
          ? Record<string, unknown>
          : string extends S
            ? Record<string, unknown>
            : RowOf<ServiceColumns<D, S, Full>>
        : string extends F[number]
          ? Record<string, unknown>
          : RowOf<RefColumns<D, F[number], Full>>;
