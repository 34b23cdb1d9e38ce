/**
 * feast-edge/feast: Feast's own files, byte for byte: the protobuf registry (`registry.db`),
 * `feast.types.Value`, and the SQLite and Redis online-store layouts Feast writes.
 */
export {
  readFeastRegistry,
  writeFeastRegistry,
  feastRegistryProjects,
  type ReadFeastRegistryOptions,
  type WriteFeastRegistryOptions,
} from './registry/index.js';
export { FeastSqliteOnlineStore, type FeastSqliteOnlineStoreOptions } from './sqlite-online-store.js';
export { valueEncoder, encodeValue, decodeValue, type ValueEncoder, type DecodeValueOptions } from './value-proto.js';
export { encodeTimestamp, decodeTimestamp } from './timestamp-proto.js';
export { murmur3_32 } from './murmur3.js';
export { feastRedisKey, splitFeastRedisKey, feastFeatureField, feastTimestampField } from './redis-layout.js';
export { feastSqliteTable, createFeastSqliteTable } from './sqlite-layout.js';
