import type { FeatureView, ValueType } from '../../definitions/index.js';
import { formatValueType } from '../../definitions/index.js';
import { DataSourceColumnError, DataSourceNotFoundException } from '../../errors.js';
import { describeColumns } from '../../sql/describe.js';
import { loadSource } from '../../sql/load-source.js';
import { sourceColumn } from '../../sql/source-columns.js';
import type { SourceReading } from './source-reading.js';

let checks = 0;

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|INT\d*)$/;
const FLOAT = /^(FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/;
const TIMESTAMP = /^(TIMESTAMP.*|DATE)$/;

/** Whether a DuckDB column type holds values of a declared feature type without changing them. */
export function columnFits(duckType: string, type: ValueType): boolean {
  const t = duckType.toUpperCase().trim();
  switch (type.kind) {
    case 'Int32':
    case 'Int64':
      return INTEGER.test(t);
    case 'Float32':
    case 'Float64':
      return FLOAT.test(t) || INTEGER.test(t);
    case 'String':
      return t === 'VARCHAR';
    case 'Bool':
      return t === 'BOOLEAN';
    case 'Bytes':
      return t === 'BLOB';
    case 'UnixTimestamp':
      return TIMESTAMP.test(t);
    case 'Map':
    case 'Json':
      return t === 'VARCHAR' || t === 'JSON' || t.startsWith('MAP(') || t.startsWith('STRUCT(');
    case 'Struct':
      return t.startsWith('STRUCT(');
    case 'Array': {
      const item = /^(.*)\[\]$/.exec(t);
      return item !== null && columnFits(item[1], type.of);
    }
  }
}

/** A timestamp column: a TIMESTAMP or DATE, or text (parsed with its offset at read time). */
const isTimeColumn = (duckType: string) => TIMESTAMP.test(duckType.toUpperCase()) || duckType.toUpperCase() === 'VARCHAR';

/**
 * Checks each view against its source's data before anything reads or writes it: the
 * timestamp field, the created column, every join key and feature exist (after the field
 * mapping) with a type that holds the declared one. A mismatch is one line naming the
 * source, the column, what the view declares and what the file holds, instead of a
 * DuckDB binder error from inside a join, or floats served as an Int64 feature. With
 * `skipMissingData` (at apply) a source whose data does not exist yet is skipped.
 */
export async function checkViewSources(reading: SourceReading, views: readonly FeatureView[], options: { skipMissingData?: boolean } = {}): Promise<void> {
  const engine = await reading.engine();
  const bySource = new Map<string, FeatureView[]>();
  for (const view of views) bySource.set(view.batchSource.name, [...(bySource.get(view.batchSource.name) ?? []), view]);
  for (const sourceViews of bySource.values()) {
    const source = sourceViews[0].batchSource;
    const name = `__check_${++checks}`;
    let extra: string[];
    try {
      extra = await loadSource(engine, reading.sources, reading.sourceData, source, name);
    } catch (error) {
      // A source whose data does not exist yet (a push source's, before its first push) has nothing to mismatch.
      if (options.skipMissingData && error instanceof DataSourceNotFoundException) continue;
      throw error;
    }
    try {
      const types = await describeColumns(engine, { view: name });
      const holds = [...types].map(([column, type]) => `${column} ${type}`).join(', ');
      const where = `source '${source.name}' (${source.path})`;
      const column = (wanted: string, role: string, fits: (duckType: string) => boolean, declared: string) => {
        const type = types.get(wanted);
        if (type === undefined) throw new DataSourceColumnError(`${where}: has no column '${wanted}' (${role}); it holds ${holds}`);
        if (!fits(type)) throw new DataSourceColumnError(`${where}: column '${wanted}' (${role}) is ${type} in the data, but ${declared}`);
      };
      for (const view of sourceViews) {
        column(source.timestampField, `the timestamp field`, isTimeColumn, 'a timestamp is needed');
        if (source.createdTimestampColumn) column(source.createdTimestampColumn, 'the created timestamp column', isTimeColumn, 'a timestamp is needed');
        for (const key of view.entityColumns) {
          column(
            sourceColumn(view, key.name),
            `join key '${key.name}' of view '${view.name}'`,
            (t) => columnFits(t, key.dtype),
            `the entity declares ${formatValueType(key.dtype)}`,
          );
        }
        for (const feature of view.features) {
          column(
            sourceColumn(view, feature.name),
            `feature '${feature.name}' of view '${view.name}'`,
            (t) => columnFits(t, feature.dtype),
            `the view declares ${formatValueType(feature.dtype)}`,
          );
        }
      }
    } finally {
      await engine.unregister(name);
      for (const view of extra) await engine.unregister(view);
    }
  }
}
