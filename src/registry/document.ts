import type { DataSource, Entity, FeatureService, FeatureView, OnDemandFeatureView, Project, StreamFeatureView } from '../definitions/index.js';

/**
 * Feast's Python function of an on-demand view read from a Feast registry, kept byte for
 * byte so writing the registry back gives Feast the same function.
 */
export interface FeastPythonUdf {
  /** The function's name in Feast (`user_defined_function.name`). */
  readonly name: string;
  /** Feast's mode: 'python' (dict of lists) or 'pandas' (DataFrame). */
  readonly mode: string;
  /** The function pickled with dill, base64; empty when Feast stored none. */
  readonly bodyBase64: string;
}

/** An on-demand view as stored: the code stays in the definitions module, its text and hash here. */
export type StoredOnDemandFeatureView = Omit<OnDemandFeatureView, 'transform' | 'transformColumns'> & {
  /** SHA-256 (hex) of `transformSource`. */
  readonly transformHash: string;
  /**
   * 'python': the transform is Feast's Python function (`transformSource` is its source
   * text, `feastUdf` its pickle). feast-edge cannot run it: the view needs a TypeScript
   * transform under the same name. Absent: the transform is TypeScript, as feast-edge wrote it.
   */
  readonly transformLanguage?: 'typescript' | 'python';
  /** Present with `transformLanguage: 'python'`. */
  readonly feastUdf?: FeastPythonUdf;
};

/** A stream view as stored: without its transform function; with one, its text and hash. */
export type StoredStreamFeatureView = Omit<StreamFeatureView, 'transform'> & {
  /** SHA-256 (hex) of `transformSource`, when the view has a transform. */
  readonly transformHash?: string;
};

/** A saved dataset: the result of a retrieval, persisted with where its data lives. */
export interface SavedDataset {
  readonly kind: 'savedDataset';
  readonly name: string;
  readonly features: readonly string[];
  readonly joinKeys: readonly string[];
  readonly fullFeatureNames: boolean;
  readonly featureServiceName?: string;
  /** Where the rows are: a path relative to the repo, a URL, or a key of the store that wrote it. */
  readonly storage: { readonly format: 'parquet'; readonly path: string };
  /** Absent for datasets read from a Feast registry: Feast does not record it. */
  readonly rowCount?: number;
  readonly minEventTimestamp?: string;
  readonly maxEventTimestamp?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Fields of a Feast registry object that feast-edge does not model (a view's version or
 * validation flag, a field's vector settings, a service's logging config, ...), as raw
 * protobuf (base64) by their path in the Feast message (`spec.features[conv_rate]`).
 * `writeFeastRegistry` (src/feast/registry) writes them back wherever the path still exists.
 */
export type FeastUnmodeledFields = Readonly<Record<string, string>>;

/** Creation/update times kept beside every object (ISO 8601, UTC). */
export interface Stored<T> {
  readonly spec: T;
  readonly createdAt: string;
  readonly lastUpdatedAt: string;
  /** Only for objects read from a Feast registry.db. */
  readonly feastUnmodeled?: FeastUnmodeledFields;
}

/** A Feast registry object feast-edge cannot represent, kept whole so a write puts it back. */
export interface FeastCarriedObject {
  /** Feast's kind, e.g. 'data source', 'feature view', 'label view'. */
  readonly kind: string;
  readonly name: string;
  /** Why feast-edge does not model it (e.g. "a Kafka source"). */
  readonly reason: string;
  /** A `feast.core.Registry` message holding only this object (base64). */
  readonly registryBytes: string;
}

/** What a Feast registry held that the document's collections do not (src/feast/registry). */
export interface FeastRegistryCarry {
  /** Registry fields feast-edge does not model, raw (base64): infra, permissions, label views, view version history, validation references, feature tables. */
  readonly registryFields?: string;
  /** Objects of this project feast-edge cannot represent. */
  readonly carriedObjects?: readonly FeastCarriedObject[];
  /** Every object of the registry's other projects (a `feast.core.Registry` fragment, base64). */
  readonly otherProjects?: string;
  /** Feast's project entry: its times and unmodeled fields. */
  readonly project?: { readonly createdAt?: string; readonly lastUpdatedAt?: string; readonly feastUnmodeled?: FeastUnmodeledFields };
  /** Times of Feast's own `__dummy` entity, which the document does not list. */
  readonly dummyEntity?: { readonly createdAt: string; readonly lastUpdatedAt: string; readonly feastUnmodeled?: FeastUnmodeledFields };
}

/** A materialized interval of a feature view, ISO 8601 UTC bounds (both inclusive). */
export interface MaterializationInterval {
  readonly start: string;
  readonly end: string;
}

export interface StoredFeatureView extends Stored<FeatureView> {
  readonly materializationIntervals: readonly MaterializationInterval[];
}

/**
 * The whole registry of one project: one JSON document, versioned. Every write
 * increments `version`; stores refuse a write whose expected version is stale.
 */
export interface RegistryDocument {
  readonly formatVersion: 1;
  readonly project: Project;
  readonly version: number;
  readonly lastUpdatedAt: string;
  readonly entities: Readonly<Record<string, Stored<Entity>>>;
  readonly dataSources: Readonly<Record<string, Stored<DataSource>>>;
  readonly featureViews: Readonly<Record<string, StoredFeatureView>>;
  readonly onDemandFeatureViews: Readonly<Record<string, Stored<StoredOnDemandFeatureView>>>;
  readonly featureServices: Readonly<Record<string, Stored<FeatureService>>>;
  /** Absent in documents written before stream views existed: read it through `streamViewsOf`. */
  readonly streamFeatureViews?: Readonly<Record<string, Stored<StoredStreamFeatureView>>>;
  readonly savedDatasets: Readonly<Record<string, Stored<SavedDataset>>>;
  /** Present when the document was read from a Feast registry.db: what to write back beside the collections. */
  readonly feast?: FeastRegistryCarry;
}

export function emptyRegistryDocument(project: Project, now: string): RegistryDocument {
  return {
    formatVersion: 1,
    project,
    version: 0,
    lastUpdatedAt: now,
    entities: {},
    dataSources: {},
    featureViews: {},
    onDemandFeatureViews: {},
    featureServices: {},
    streamFeatureViews: {},
    savedDatasets: {},
  };
}

/**
 * The entry of `name` in a collection, or undefined. Own keys only: a registry is parsed
 * JSON, and names such as 'constructor' must not find Object.prototype's members.
 */
export function entryOf<T>(collection: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(collection, name) ? collection[name] : undefined;
}

/** Sets an entry as an own property (plain assignment of '__proto__' would set the prototype instead). */
export function setEntry<T>(collection: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(collection, name, { value, enumerable: true, writable: true, configurable: true });
}

/** A document's stream views; documents from before stream views have none. */
export function streamViewsOf(doc: RegistryDocument): Readonly<Record<string, Stored<StoredStreamFeatureView>>> {
  return doc.streamFeatureViews ?? {};
}
