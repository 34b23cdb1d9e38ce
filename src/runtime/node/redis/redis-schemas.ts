/** What the schema cache asks Redis for, bounded and named by the store's connector. */
export interface SchemaSource {
  /** Every schema of a view, as JSON lists of names, in id order (LRANGE). */
  load(registryKey: string): Promise<string[]>;
  /** The id of a schema, appended when new (REGISTER_SCHEMA). */
  register(registryKey: string, schema: string): Promise<number>;
}

interface ViewSchemas {
  /** Names per schema id. */
  readonly names: string[][];
  /** Schema JSON to id, for writers. */
  readonly ids: Map<string, number>;
  /** Per schema id, name to index: what a read needs to place a value. */
  readonly indexes: Map<string, number>[];
}

/**
 * A process's copy of the views' schemas: lists of feature names that rows follow by
 * position, kept once per view in Redis (a list at `<prefix><project>:<view>`, outside
 * the row keys' `<project>:<view>:*`, so deleteView leaves it). The lists only grow and
 * an id never changes meaning, so the copy is always right for the ids it holds; an
 * id it lacks (a schema another process added) makes it load the list again.
 */
export class RedisSchemas {
  readonly #views = new Map<string, ViewSchemas>();
  readonly #source: SchemaSource;

  constructor(source: SchemaSource) {
    this.#source = source;
  }

  /** The id of a list of names: from the copy, else from Redis (registering it when new). */
  async idOf(registryKey: string, names: readonly string[]): Promise<number> {
    const schema = JSON.stringify(names);
    const known = this.#views.get(registryKey)?.ids.get(schema);
    if (known !== undefined) return known;
    const id = await this.#source.register(registryKey, schema);
    const view = this.#views.get(registryKey);
    if (!view || id >= view.names.length) await this.#load(registryKey);
    return id;
  }

  /** Makes sure every id is in the copy, loading the list once if one is not; answers whether all are known now. */
  async ensure(registryKey: string, ids: Iterable<number>): Promise<boolean> {
    const count = () => this.#views.get(registryKey)?.names.length ?? 0;
    let max = -1;
    for (const id of ids) if (id > max) max = id;
    if (max < count()) return true;
    await this.#load(registryKey);
    return max < count();
  }

  /** Names of a known schema id (ensure() first). */
  names(registryKey: string, id: number): readonly string[] {
    return this.#views.get(registryKey)!.names[id];
  }

  /** For each requested feature, its index in schema `id` (-1 when the schema lacks it). */
  positions(registryKey: string, id: number, features: readonly string[]): number[] {
    const index = this.#views.get(registryKey)!.indexes[id];
    return features.map((f) => index.get(f) ?? -1);
  }

  async #load(registryKey: string): Promise<void> {
    const lists = await this.#source.load(registryKey);
    const names = lists.map((json) => JSON.parse(json) as string[]);
    this.#views.set(registryKey, {
      names,
      ids: new Map(lists.map((json, id) => [json, id])),
      indexes: names.map((list) => new Map(list.map((name, i) => [name, i]))),
    });
  }
}
