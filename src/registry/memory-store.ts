import type { RegistryDocument } from './document.js';
import { RegistryVersionConflictError } from './errors.js';
import type { RegistryStore } from './registry-store.js';

/** Registry documents in memory: tests, caches, and runtimes with nothing persistent. */
export class MemoryRegistryStore implements RegistryStore {
  readonly #docs = new Map<string, string>();

  async read(project: string): Promise<RegistryDocument | undefined> {
    const text = this.#docs.get(project);
    return text === undefined ? undefined : (JSON.parse(text) as RegistryDocument);
  }

  /** The stored version, read synchronously so check-and-set has no await between them. */
  #version(project: string): number {
    const text = this.#docs.get(project);
    return text === undefined ? 0 : (JSON.parse(text) as RegistryDocument).version;
  }

  async write(doc: RegistryDocument, expectedVersion: number): Promise<void> {
    const actual = this.#version(doc.project.name);
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(doc.project.name, expectedVersion, actual);
    // Stored as text so callers never share (and mutate) the stored object.
    this.#docs.set(doc.project.name, JSON.stringify(doc));
  }

  async delete(project: string, expectedVersion: number): Promise<void> {
    const actual = this.#version(project);
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(project, expectedVersion, actual);
    this.#docs.delete(project);
  }

  async listProjects(): Promise<string[]> {
    return [...this.#docs.keys()].sort();
  }
}
