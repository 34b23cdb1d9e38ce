import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { DataSource_SourceType } from '../../src/feast/proto/feast/core/DataSource_pb.js';
import { RegistrySchema } from '../../src/feast/proto/feast/core/Registry_pb.js';
import { readFeastRegistry, writeFeastRegistry } from '../../src/feast/registry/index.js';
import { fixtureBytes } from './fixtures.js';

/**
 * Objects feast-edge cannot represent (a Kafka source and a view over it, a view of an
 * unsupported value type) and other projects' objects are kept whole and written back.
 */
function registryWithUnmodeled(): Uint8Array {
  const r = fromBinary(RegistrySchema, fixtureBytes('rich', 'registry'));
  r.dataSources.push(
    create(RegistrySchema.field.dataSources.message!, {
      name: 'trips_kafka',
      project: 'rich',
      type: DataSource_SourceType.STREAM_KAFKA,
      timestampField: 'ts',
    }) as never,
  );
  const base = r.featureViews.find((v) => v.spec?.name === 'driver_trips')!;
  const overKafka = structuredClone(base);
  overKafka.spec!.name = 'trips_from_kafka';
  overKafka.spec!.streamSource!.name = 'trips_kafka';
  overKafka.spec!.streamSource!.type = DataSource_SourceType.STREAM_KAFKA;
  const uuid = structuredClone(base);
  uuid.spec!.name = 'uuid_view';
  uuid.spec!.features[0].valueType = 36; // UUID
  const elsewhere = structuredClone(base);
  elsewhere.spec!.project = 'other';
  r.featureViews.push(overKafka, uuid, elsewhere);
  return toBinary(RegistrySchema, r);
}

describe('objects feast-edge does not model', () => {
  it('are listed with the reason and left out of the document', async () => {
    const doc = await readFeastRegistry(registryWithUnmodeled(), { project: 'rich' });
    expect(doc.feast?.carriedObjects?.map((o) => [o.kind, o.name, o.reason])).toEqual([
      ['data source', 'trips_kafka', "data source 'trips_kafka': source 'trips_kafka' is a STREAM_KAFKA source, which feast-edge does not read"],
      ['feature view', 'trips_from_kafka', "feature view 'trips_from_kafka': its source 'trips_kafka' is not modeled by feast-edge"],
      ['feature view', 'uuid_view', "feature view 'uuid_view' field 'trip_fare': value type UUID is not supported by feast-edge"],
    ]);
    expect(Object.keys(doc.featureViews)).not.toContain('uuid_view');
  });

  it('are written back whole, with the other projects', async () => {
    const written = fromBinary(RegistrySchema, writeFeastRegistry(await readFeastRegistry(registryWithUnmodeled(), { project: 'rich' })));
    expect(written.dataSources.map((s) => s.name)).toContain('trips_kafka');
    expect(written.featureViews.map((v) => `${v.spec?.project}/${v.spec?.name}`)).toEqual(
      expect.arrayContaining(['rich/trips_from_kafka', 'rich/uuid_view', 'other/driver_trips']),
    );
    expect(written.featureViews.find((v) => v.spec?.name === 'uuid_view')!.spec!.features[0].valueType).toBe(36);
  });

  it('needs the project named when the registry holds several', async () => {
    await expect(readFeastRegistry(registryWithUnmodeled())).rejects.toThrow(/holds several projects; choose one with \{ project \}; projects: other, rich/);
  });
});
