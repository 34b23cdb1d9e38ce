import { create } from '@bufbuild/protobuf';
import type { DataSource, FileSource, PushSource, RequestSource } from '../../definitions/index.js';
import { entryOf, type RegistryDocument } from '../../registry/document.js';
import { DataSource_SourceType, DataSourceSchema, type DataSource as DataSourceProto } from '../proto/feast/core/DataSource_pb.js';
import { fieldToFeast } from './value-types.js';
import { timestampFromIso } from './wire-values.js';

/** The Python classes Feast instantiates when it reads a source back. */
export const SOURCE_CLASS = {
  fileSource: 'feast.infra.offline_stores.file_source.FileSource',
  pushSource: 'feast.data_source.PushSource',
  requestSource: 'feast.data_source.RequestSource',
} as const;

/**
 * How Feast writes a source: the registered entry names its project and class; the copies
 * inside views, push sources and projections leave the project out, and only the copies a
 * view holds directly name the class. Matching that keeps a written registry comparable
 * with one Feast wrote.
 */
export interface SourceStyle {
  readonly project?: string;
  readonly withClass: boolean;
  readonly times: { readonly createdAt: string; readonly lastUpdatedAt: string };
}

function common(source: { name: string; description?: string; tags?: Readonly<Record<string, string>>; owner?: string }, style: SourceStyle, where: string) {
  return {
    name: source.name,
    project: style.project ?? '',
    description: source.description ?? '',
    tags: { ...(source.tags ?? {}) },
    owner: source.owner ?? '',
    meta: {
      createdTimestamp: timestampFromIso(style.times.createdAt, `${where}.createdAt`),
      lastUpdatedTimestamp: timestampFromIso(style.times.lastUpdatedAt, `${where}.lastUpdatedAt`),
    },
  };
}

/** A copy's times: the registered source's, else the holder's. */
export function sourceTimes(doc: RegistryDocument, name: string, holder: SourceStyle['times']): SourceStyle['times'] {
  const entry = entryOf(doc.dataSources, name);
  return entry ? { createdAt: entry.createdAt, lastUpdatedAt: entry.lastUpdatedAt } : holder;
}

export function fileSourceToFeast(source: FileSource, style: SourceStyle): DataSourceProto {
  return create(DataSourceSchema, {
    ...common(source, style, `data source '${source.name}'`),
    type: DataSource_SourceType.BATCH_FILE,
    fieldMapping: { ...source.fieldMapping },
    timestampField: source.timestampField,
    createdTimestampColumn: source.createdTimestampColumn ?? '',
    dataSourceClassType: style.withClass ? SOURCE_CLASS.fileSource : '',
    options: { case: 'fileOptions', value: { uri: source.path } },
  });
}

export function pushSourceToFeast(doc: RegistryDocument, source: PushSource, style: SourceStyle): DataSourceProto {
  const batch = source.batchSource;
  return create(DataSourceSchema, {
    ...common(source, style, `data source '${source.name}'`),
    type: DataSource_SourceType.PUSH_SOURCE,
    // Feast's push source repeats its batch source's time columns.
    timestampField: batch.timestampField,
    createdTimestampColumn: batch.createdTimestampColumn ?? '',
    dataSourceClassType: style.withClass ? SOURCE_CLASS.pushSource : '',
    batchSource: fileSourceToFeast(batch, { withClass: false, times: sourceTimes(doc, batch.name, style.times) }),
  });
}

export function requestSourceToFeast(source: RequestSource, style: SourceStyle): DataSourceProto {
  return create(DataSourceSchema, {
    ...common(source, style, `data source '${source.name}'`),
    type: DataSource_SourceType.REQUEST_SOURCE,
    dataSourceClassType: style.withClass ? SOURCE_CLASS.requestSource : '',
    options: { case: 'requestDataOptions', value: { schema: source.schema.map(fieldToFeast) } },
  });
}

export function sourceToFeast(doc: RegistryDocument, source: DataSource, style: SourceStyle): DataSourceProto {
  switch (source.kind) {
    case 'fileSource':
      return fileSourceToFeast(source, style);
    case 'pushSource':
      return pushSourceToFeast(doc, source, style);
    case 'requestSource':
      return requestSourceToFeast(source, style);
  }
}
