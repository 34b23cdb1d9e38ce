import type { RegistryDocument } from './document.js';

/**
 * Where registry documents live: memory, a file (Node), IndexedDB, KV, or a URL
 * (read-only). One document per project.
 */
export interface RegistryStore {
  /** The project's document, or undefined when it was never applied. */
  read(project: string): Promise<RegistryDocument | undefined>;
  /**
   * Writes `doc` only if the stored version is still `expectedVersion` (0 for "absent"),
   * else throws `RegistryVersionConflictError`. The write is atomic: a reader sees the
   * old or the new document, never a mix.
   */
  write(doc: RegistryDocument, expectedVersion: number): Promise<void>;
  /** Deletes the project's document if its version is still `expectedVersion`. */
  delete(project: string, expectedVersion: number): Promise<void>;
  /** Names of the projects held. */
  listProjects(): Promise<string[]>;
  /** True when writes are refused (a URL store). */
  readonly readOnly?: boolean;
}
