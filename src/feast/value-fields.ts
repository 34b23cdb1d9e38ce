/**
 * Field numbers of the `val` oneof of `feast.types.Value` (Feast's
 * protos/feast/types/Value.proto); each equals the member's ValueType number. The list
 * messages (Int64List, StringList, ...) and Map hold their items in field 1.
 */
export const VALUE_FIELD = {
  bytes: 1,
  string: 2,
  int32: 3,
  int64: 4,
  double: 5,
  float: 6,
  bool: 7,
  unixTimestamp: 8,
  bytesList: 11,
  stringList: 12,
  int32List: 13,
  int64List: 14,
  doubleList: 15,
  floatList: 16,
  boolList: 17,
  unixTimestampList: 18,
  null: 19,
  map: 20,
  mapList: 21,
  bytesSet: 22,
  stringSet: 23,
  int32Set: 24,
  int64Set: 25,
  doubleSet: 26,
  floatSet: 27,
  boolSet: 28,
  unixTimestampSet: 29,
  json: 32,
  jsonList: 33,
  struct: 34,
  structList: 35,
  uuid: 36,
  timeUuid: 37,
  uuidList: 38,
  timeUuidList: 39,
  uuidSet: 40,
  timeUuidSet: 41,
  list: 42,
  set: 43,
  decimal: 44,
  decimalList: 45,
  decimalSet: 46,
  scalarMap: 47,
  zonedTimestamp: 48,
} as const;

/** Feast's null timestamp (`NaT` as int64): how it fills a null inside a timestamp list. */
export const NULL_TIMESTAMP_SECONDS = -(2n ** 63n);
