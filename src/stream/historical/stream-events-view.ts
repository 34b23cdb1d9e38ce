import { Int64, Table, vectorFromArray, type Vector } from 'apache-arrow';
import { FeastEntityDFMissingColumnsError } from '../../errors.js';
import { duckdbType } from '../../definitions/value-type.js';
import { loadedStreamView } from '../loaded-view.js';
import { rawEventView, transformEvents, transformInput, type StreamViewCode } from '../stream-events.js';
import { vectorOfType, plainValues, timestampMicros } from '../../arrow/arrow-types.js';
import { describeColumns } from '../../sql/describe.js';
import { loadSource, type SourceData } from '../../sql/load-source.js';
import { sourceColumn, timestampExpr } from '../../sql/source-columns.js';
import type { SourceLoader } from '../../sql/source-loader.js';
import { quoteIdent as q, type SqlEngine } from '../../sql/sql-engine.js';
import type { StreamSqlInput } from './stream-historical-sql.js';
import type { StreamJoin } from '../../retrieval/retrieval-plan.js';

export interface StreamEventsContext {
  engine: SqlEngine;
  sources: SourceLoader;
  sourceData: ReadonlyMap<string, SourceData>;
  /** Loaded stream views with their transforms, by name. */
  streamCode: ReadonlyMap<string, StreamViewCode>;
}

/**
 * Registers a stream view's events from its push source's batch source (and the parts
 * appended to it) as `name`, shaped for stream-historical-sql.ts. Without a transform
 * this is a SQL view; with one, the raw events are read, transformed in JS by the same
 * code the online path runs, and registered as Arrow. Returns the engine views to drop.
 */
export async function registerStreamEvents(
  context: StreamEventsContext,
  join: StreamJoin,
  name: string,
): Promise<{ input: StreamSqlInput; registered: string[] }> {
  const { engine } = context;
  const stored = join.view;
  const view = loadedStreamView(stored, context.streamCode);
  const raw = `${name}__raw`;
  const registered = [raw, ...(await loadSource(engine, context.sources, context.sourceData, stored.batchSource, raw))];
  const types = await describeColumns(engine, { view: raw });
  const columns = [...new Set(stored.aggregations.map((a) => a.column))];
  const eventView = rawEventView(view, view.inputs);
  const keys = view.entityColumns.map((k, n) => `${q(sourceColumn(eventView, k.name))} AS "__k${n}"`);
  const tsColumn = view.timestampField;
  if (!types.has(tsColumn))
    throw new FeastEntityDFMissingColumnsError(`stream view '${view.name}': its source '${stored.batchSource.name}' has no timestamp column '${tsColumn}'`);
  const time = `epoch_us(${timestampExpr(tsColumn, types.get(tsColumn))})`;
  const typed = (column: string) => {
    const field = view.inputs.find((f) => f.name === column)!;
    const from = sourceColumn(eventView, column);
    return types.has(from) ? `CAST(${q(from)} AS ${duckdbType(field.dtype)})` : `CAST(NULL AS ${duckdbType(field.dtype)})`;
  };
  if (!view.transform) {
    const select = [...keys, `${time} AS "__tu"`, ...columns.map((c, n) => `${typed(c)} AS "__c${n}"`)];
    await engine.registerQuery(name, `SELECT ${select.join(', ')} FROM ${q(raw)} WHERE ${time} IS NOT NULL`);
    return { input: { join, eventsView: name, columns }, registered: [name, ...registered] };
  }
  const table = await engine.query(
    `SELECT ${[...keys, `${timestampExpr(tsColumn, types.get(tsColumn))} AS "__ts"`, ...view.inputs.map((f, n) => `${typed(f.name)} AS "__i${n}"`)].join(', ')} FROM ${q(raw)} WHERE ${time} IS NOT NULL`,
  );
  const keyValues = view.entityColumns.map((_, n) => plainValues(table.getChild(`__k${n}`)));
  const times = timestampMicros(table.getChild('__ts'));
  const inputValues = view.inputs.map((_, n) => plainValues(table.getChild(`__i${n}`)));
  const rows = transformEvents(
    view,
    times.map((t, i) =>
      transformInput(
        view,
        keyValues.map((c) => c[i]),
        t!,
        Object.fromEntries(view.inputs.map((f, n) => [f.name, inputValues[n][i]])),
      ),
    ),
    `historical retrieval of '${view.name}'`,
  );
  const vectors: Record<string, Vector> = {};
  view.entityColumns.forEach((k, n) => {
    vectors[`__k${n}`] = vectorOfType(keyValues[n], k.dtype, k.name);
  });
  vectors.__tu = vectorFromArray(
    times.map((t) => t!),
    new Int64(),
  );
  columns.forEach((c, n) => {
    vectors[`__c${n}`] = vectorOfType(
      rows.map((r) => r[c]),
      view.inputs.find((f) => f.name === c)!.dtype,
      c,
    );
  });
  await engine.registerArrow(name, new Table(vectors));
  return { input: { join, eventsView: name, columns }, registered: [name, ...registered] };
}
