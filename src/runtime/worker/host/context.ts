import type { FeastObject } from '../../../definitions/index.js';
import type { EngineJobs } from './engine-jobs.js';
import type { OpenResult } from '../feature-store-api.js';
import type { Opened } from './stores.js';

/** What every part of the worker's API works with. */
export interface HostContext {
  /** The definitions module the worker was built with. */
  readonly definitions: readonly FeastObject[];
  /** The open stores; FeatureStoreNotOpenError before open(). */
  current(): Opened;
  /** Serves `project`: the open one as it is, else reopens with the last open's options on that project. */
  serveProject(project: string): Promise<OpenResult>;
  engineJob: EngineJobs['engineJob'];
}
