import type { RegistryDocument } from './document.js';
import { RegistryVersionConflictError } from '../errors.js';
import type { RegistryStore } from './registry-store.js';

/**
 * Registry documents in memory: tests, caches, and runtimes with nothing persistent.
 * @example const registry = new Registry(new MemoryRegistryStore(), 'demo');
 */
export class MemoryRegistryStore implements RegistryStore {
  // Kept as text so callers never share (and mutate) what is stored.
  readonly #docs = new Map<string, { text: string; version: number }>();

  async read(project: string): Promise<RegistryDocument | undefined> {
    const stored = this.#docs.get(project);
    return stored === undefined ? undefined : (JSON.parse(stored.text) as RegistryDocument);
  }

  // Check and set run with no await between them, which makes them atomic here.
  async write(doc: RegistryDocument, expectedVersion: number): Promise<void> {
    const project = doc.project.name;
    const actual = this.#docs.get(project)?.version ?? 0;
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(project, expectedVersion, actual);
    this.#docs.set(project, { text: JSON.stringify(doc), version: doc.version });
  }

  async delete(project: string, expectedVersion: number): Promise<void> {
    const actual = this.#docs.get(project)?.version ?? 0;
    if (actual !== expectedVersion) throw new RegistryVersionConflictError(project, expectedVersion, actual);
    this.#docs.delete(project);
  }

  async listProjects(): Promise<string[]> {
    return [...this.#docs.keys()].sort();
  }
}
