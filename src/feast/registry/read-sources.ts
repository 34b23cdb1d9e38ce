import { fileSource, formatFromPath, pushSource, requestSource, type DataSource, type FileSource, type Metadata } from '../../definitions/index.js';
import { DataSource_SourceType, type DataSource as DataSourceProto } from '../proto/feast/core/DataSource_pb.js';
import { UnmodeledFeastObject } from './errors.js';
import { fieldFromFeast } from './value-types.js';

/** Feast leaves empty strings and maps where nothing was given; feast-edge leaves the key out. */
export function metadataFromFeast(m: { description: string; tags: Record<string, string>; owner: string }): Metadata {
  return {
    ...(m.description !== '' ? { description: m.description } : {}),
    ...(Object.keys(m.tags).length > 0 ? { tags: { ...m.tags } } : {}),
    ...(m.owner !== '' ? { owner: m.owner } : {}),
  };
}

function typeName(source: DataSourceProto): string {
  return DataSource_SourceType[source.type] ?? `type ${source.type}`;
}

/** A Feast FileSource: the path is `file_options.uri`; Feast's file sources are Parquet unless the path says CSV. */
export function fileSourceFromFeast(source: DataSourceProto, where: string): FileSource {
  if (source.type !== DataSource_SourceType.BATCH_FILE || source.options.case !== 'fileOptions') {
    throw new UnmodeledFeastObject(`${where}: source '${source.name}' is a ${typeName(source)} source; feast-edge reads file sources only`);
  }
  const path = source.options.value.uri;
  return fileSource({
    name: source.name,
    path,
    format: formatFromPath(path) ?? 'parquet',
    ...(source.timestampField !== '' ? { timestampField: source.timestampField } : {}),
    ...(source.createdTimestampColumn !== '' ? { createdTimestampColumn: source.createdTimestampColumn } : {}),
    fieldMapping: { ...source.fieldMapping },
    ...metadataFromFeast(source),
  });
}

/** A Feast data source as a feast-edge one; other kinds (Kafka, BigQuery, ...) throw UnmodeledFeastObject. */
export function sourceFromFeast(source: DataSourceProto, where: string): DataSource {
  switch (source.type) {
    case DataSource_SourceType.BATCH_FILE:
      return fileSourceFromFeast(source, where);
    case DataSource_SourceType.PUSH_SOURCE:
      if (!source.batchSource) throw new UnmodeledFeastObject(`${where}: push source '${source.name}' has no batch source`);
      return pushSource({ name: source.name, batchSource: fileSourceFromFeast(source.batchSource, `${where}.batch_source`), ...metadataFromFeast(source) });
    case DataSource_SourceType.REQUEST_SOURCE:
      if (source.options.case !== 'requestDataOptions') throw new UnmodeledFeastObject(`${where}: request source '${source.name}' has no schema`);
      return requestSource({
        name: source.name,
        schema: source.options.value.schema.map((f) => fieldFromFeast(f, `${where} request source '${source.name}'`)),
        ...metadataFromFeast(source),
      });
    default:
      throw new UnmodeledFeastObject(`${where}: source '${source.name}' is a ${typeName(source)} source, which feast-edge does not read`);
  }
}
