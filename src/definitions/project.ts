import { object } from './schema-issue.js';
import { checkSpec, deepFreeze, metadata, metadataEntries, safeName, type Metadata } from './validate.js';

/** A Feast project: the namespace every other object lives in. */
export interface Project extends Metadata {
  readonly kind: 'project';
  readonly name: string;
}

const projectSpec = object({ name: safeName, ...metadataEntries }, 'expected an object');

/**
 * Declares the project.
 * @example project({ name: 'driver_ranking', description: 'driver features' })
 */
export function project(spec: { name: string } & Metadata): Project {
  checkSpec(projectSpec, spec, 'project');
  return deepFreeze({ kind: 'project', name: spec.name, ...metadata(spec) });
}
