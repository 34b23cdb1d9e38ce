/** Where the build puts the example repo's files (demo/build/example-repo-plugin.ts): relative source paths resolve here. */
export const EXAMPLE_REPO_URL_PATH = '/example-repo/';
export const EXAMPLE_ENTITY_FILE = `${EXAMPLE_REPO_URL_PATH}data/entity_df.csv`;

/** The example data's time span (sample-data.ts): hourly driver rows 2021-04-10 to 04-12, daily customer rows from 04-08. */
export const EXAMPLE_WINDOW = { start: '2021-04-01T00:00:00Z', end: '2021-04-13T00:00:00Z' } as const;
