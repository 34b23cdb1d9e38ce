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

  async write(doc: RegistryDocument, expectedVersion: number): Promise<void> {
    const current = await this.read(doc.project.name);
    const actual = current?.version ?? 0;
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(doc.project.name, expectedVersion, actual);
    // Stored as text so callers never share (and mutate) the stored object.
    this.#docs.set(doc.project.name, JSON.stringify(doc));
  }

  async delete(project: string, expectedVersion: number): Promise<void> {
    const actual = (await this.read(project))?.version ?? 0;
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(project, expectedVersion, actual);
    this.#docs.delete(project);
  }

  async listProjects(): Promise<string[]> {
    return [...this.#docs.keys()].sort();
  }
}
