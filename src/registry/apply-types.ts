import type { FeastObject } from '../definitions/index.js';

/** What `plan` reports: objects added, changed (with the changed fields) and removed. */
export interface RegistryDiff {
  added: { kind: string; name: string }[];
  changed: { kind: string; name: string; fields: string[] }[];
  removed: { kind: string; name: string }[];
  unchanged: { kind: string; name: string }[];
}

export interface ApplyOptions {
  /** Objects (or `{ kind, name }`) to delete; omitted objects otherwise stay, as in Feast. */
  delete?: readonly (FeastObject | { kind: string; name: string })[];
  /**
   * Check every feature view applied against its source's data first (columns, types, the
   * timestamp field), refusing the apply on a mismatch. Needs the store's offline store and
   * the sources readable (the CLI's apply checks; code that registers data later does not).
   */
  checkSources?: boolean;
}
