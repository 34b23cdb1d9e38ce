export { Registry } from './registry.js';
export { MemoryRegistryStore } from './memory-store.js';
export type { RegistryStore } from './registry-store.js';
export {
  emptyRegistryDocument,
  type RegistryDocument, type Stored, type StoredFeatureView, type StoredOnDemandFeatureView,
  type SavedDataset, type MaterializationInterval,
} from './document.js';
export { ProjectNotFoundException, RegistryVersionConflictError, ConflictingObjectNamesError, SavedDatasetExistsError } from './errors.js';
export { sha256Hex } from './hash.js';
export { canonicalJson } from './serialize.js';
