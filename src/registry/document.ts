import type {
  DataSource, Entity, FeatureService, FeatureView, OnDemandFeatureView, Project, StreamFeatureView,
} from '../definitions/index.js';

/** An on-demand view as stored: the code stays in the definitions module, its text and hash here. */
export type StoredOnDemandFeatureView = Omit<OnDemandFeatureView, 'transform' | 'transformColumns'> & {
  /** SHA-256 (hex) of `transformSource`. */
  readonly transformHash: string;
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
  readonly rowCount: number;
  readonly minEventTimestamp?: string;
  readonly maxEventTimestamp?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Creation/update times kept beside every object (ISO 8601, UTC). */
export interface Stored<T> {
  readonly spec: T;
  readonly createdAt: string;
  readonly lastUpdatedAt: string;
}

/** A materialized interval of a feature view, ISO 8601 UTC bounds (both inclusive). */
export interface MaterializationInterval { readonly start: string; readonly end: string }

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
}

export function emptyRegistryDocument(project: Project, now: string): RegistryDocument {
  return {
    formatVersion: 1, project, version: 0, lastUpdatedAt: now,
    entities: {}, dataSources: {}, featureViews: {}, onDemandFeatureViews: {},
    featureServices: {}, streamFeatureViews: {}, savedDatasets: {},
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
