export { Registry, type RegistryOptions, type ReadOptions } from './registry.js';
export { MemoryRegistryStore } from './memory-store.js';
export type { RegistryStore } from './registry-store.js';
export {
  emptyRegistryDocument,
  type RegistryDocument,
  type Stored,
  type StoredFeatureView,
  type StoredOnDemandFeatureView,
  type SavedDataset,
  type MaterializationInterval,
  type StoredStreamFeatureView,
  type FeastUnmodeledFields,
  type FeastCarriedObject,
  type FeastRegistryCarry,
  type FeastPythonUdf,
} from './document.js';
export {
  FeastObjectNotFoundException,
  EntityNotFoundException,
  DataSourceObjectNotFoundException,
  FeatureViewNotFoundException,
  OnDemandFeatureViewNotFoundException,
  FeatureServiceNotFoundException,
  SavedDatasetNotFound,
  ProjectNotFoundException,
  RegistryVersionConflictError,
  ConflictingFeatureViewNames,
  DataSourceRepeatNamesException,
  SavedDatasetExistsError,
  RegistryReadOnlyError,
  RegistryStoreError,
  TransformMismatchError,
} from '../errors.js';
export { checkTransforms, assertTransformsMatch, type TransformCheck } from './transform-check.js';
export { planDiff, prepareApply, mergeDocument, type DeleteRef, type PreparedApply } from './diff.js';
export { validateRegistry, validateApplyObjects } from './validate-objects.js';
export { sha256Hex } from './hash.js';
export { canonicalJson, changedFields, toStorable, transformHashOf, type StorableSpec } from './serialize.js';
export { parseRegistryDocument } from './document-shape.js';
