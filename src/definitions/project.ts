import { assertName, deepFreeze, metadata, type Metadata } from './validate.js';

/** A Feast project: the namespace every other object lives in. */
export interface Project extends Metadata {
  readonly kind: 'project';
  readonly name: string;
}

/**
 * Declares the project.
 * @example project({ name: 'driver_ranking', description: 'driver features' })
 */
export function project(spec: { name: string } & Metadata): Project {
  assertName(spec?.name, 'project.name');
  return deepFreeze({ kind: 'project', name: spec.name, ...metadata(spec, `project '${spec.name}'`) });
}
