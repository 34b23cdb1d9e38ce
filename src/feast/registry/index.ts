export { readFeastRegistry, feastRegistryProjects, type ReadFeastRegistryOptions } from './read-registry.js';
export { writeFeastRegistry, type WriteFeastRegistryOptions } from './write-registry.js';
export { FeastRegistryError } from './errors.js';
export { STRUCT_SCHEMA_TAG } from './value-types.js';
