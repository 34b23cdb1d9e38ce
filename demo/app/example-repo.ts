/** Where the build puts the example repo's files (demo/build/example-repo-plugin.ts): relative source paths resolve here. */
export const EXAMPLE_REPO_URL_PATH = '/example-repo/';
export const EXAMPLE_ENTITY_FILE = `${EXAMPLE_REPO_URL_PATH}data/entity_df.csv`;

// Set by the build: the example data's newest event time (`feast-edge init` generates it relative to the time it ran).
declare const __EXAMPLE_DATA_END__: string | null | undefined;

const HOUR = 3_600_000;
/** The newest event of the example data: hourly driver rows for the 15 days up to it, daily customer rows too. */
export const EXAMPLE_DATA_END: Date =
  typeof __EXAMPLE_DATA_END__ === 'string' ? new Date(__EXAMPLE_DATA_END__) : new Date(Math.floor(Date.now() / HOUR) * HOUR - HOUR);

/** The default materialization window: every hourly row of the example data, up to now (as `materialize-incremental $(date)` does). */
export const EXAMPLE_WINDOW = {
  start: new Date(EXAMPLE_DATA_END.getTime() - 15 * 24 * HOUR).toISOString(),
  end: new Date(Math.max(Date.now(), EXAMPLE_DATA_END.getTime())).toISOString(),
} as const;

/** Entity keys of the example repo the Online page and the curl examples start from. */
export const EXAMPLE_KEYS: Readonly<Record<string, readonly (number | string)[]>> = { driver_id: [1001, 1002], customer_id: [2001, 2002], val_to_add: [1, 2] };
