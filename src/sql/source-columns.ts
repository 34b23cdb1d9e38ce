import type { FeatureView } from '../definitions/index.js';
import { quoteIdent as q } from './sql-engine.js';

/** A source column expression as a UTC `TIMESTAMP` whatever its stored type. */
export function timestampExpr(column: string, type: string | undefined): string {
  const t = (type ?? '').toUpperCase();
  if (t === 'TIMESTAMP') return q(column);
  // Strings may carry an offset, which a direct cast to TIMESTAMP would silently drop.
  if (t === 'VARCHAR') return `CAST(CAST(${q(column)} AS TIMESTAMPTZ) AS TIMESTAMP)`;
  return `CAST(${q(column)} AS TIMESTAMP)`;
}

/** The source column holding a feature or join key: the source's field mapping reversed. */
export function sourceColumn(view: FeatureView, name: string): string {
  for (const [from, to] of Object.entries(view.batchSource.fieldMapping)) if (to === name) return from;
  return name;
}
