import type { SourceData } from '../../sql/load-source.js';
import type { SourceLoader } from '../../sql/source-loader.js';
import type { SqlEngine } from '../../sql/sql-engine.js';

/** How the DuckDB offline store reaches its data: the engine, the runtime's source loader, and data registered at run time. */
export interface SourceReading {
  engine(): Promise<SqlEngine>;
  /** The runtime's loader, reading each source together with the parts appended to it. */
  readonly sources: SourceLoader;
  readonly sourceData: ReadonlyMap<string, SourceData>;
}
