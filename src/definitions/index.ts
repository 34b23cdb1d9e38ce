export { entity, DUMMY_ENTITY_NAME, DUMMY_JOIN_KEY, type Entity, type EntitySpec } from './entity.js';
export { field, type Field } from './field.js';
export {
  Int32,
  Int64,
  Float32,
  Float64,
  String,
  Bool,
  Bytes,
  UnixTimestamp,
  Map,
  Json,
  Array,
  ArrayOf,
  Struct,
  StructOf,
  assertValueType,
  duckdbType,
  feastValueTypeNumber,
  formatValueType,
  type ValueType,
  type ScalarType,
  type ArrayType,
  type ScalarTypeName,
  type StructType,
  type StructMember,
} from './value-type.js';
export type { ValueOf, ScalarValues } from './value-of.js';
export {
  fileSource,
  pushSource,
  requestSource,
  batchSourceOf,
  formatFromPath,
  type DataSource,
  type FileSource,
  type PushSource,
  type RequestSource,
  type FileFormat,
  type FileSourceSpec,
  type PushSourceSpec,
  type RequestSourceSpec,
} from './data-source.js';
export { featureView, joinKeysOf, isEntityless, type FeatureView, type FeatureViewSpec } from './feature-view.js';
export {
  onDemandFeatureView,
  requestFieldsOf,
  type OnDemandFeatureView,
  type OnDemandFeatureViewSpec,
  type TransformRow,
  type TransformColumns,
} from './on-demand-feature-view.js';
export {
  onDemandTransform,
  isOnDemandTransform,
  collectOnDemandTransforms,
  transformAsViewCode,
  type OnDemandTransform,
  type OnDemandTransformSpec,
} from './on-demand-transform.js';
export {
  streamFeatureView,
  defaultSlideSeconds,
  AGGREGATION_FUNCTIONS,
  type StreamFeatureView,
  type StreamFeatureViewSpec,
  type Aggregation,
  type AggregationSpec,
  type AggregationFunction,
  type StreamRow,
} from './stream-feature-view.js';
export { projection, toProjection, projectionName, type FeatureViewProjection, type ProjectionSpec } from './projection.js';
export { featureService, type FeatureService, type FeatureServiceSpec } from './feature-service.js';
export { project, type Project } from './project.js';
export { parseDuration } from './duration.js';
export { FeastEdgeError, InvalidDefinitionError, describeChoices } from '../errors.js';
export type { Metadata } from './validate.js';

import type { Entity } from './entity.js';
import type { DataSource } from './data-source.js';
import type { FeatureView } from './feature-view.js';
import type { OnDemandFeatureView } from './on-demand-feature-view.js';
import type { StreamFeatureView } from './stream-feature-view.js';
import type { FeatureService } from './feature-service.js';
import type { Project } from './project.js';
/** Anything `apply` accepts. */
export type FeastObject = Entity | DataSource | FeatureView | OnDemandFeatureView | StreamFeatureView | FeatureService | Project;
