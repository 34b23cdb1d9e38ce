/**
 * The dependency rule (checked by `npm run lint:deps` in CI): imports point down the layer
 * order below, never up, and never in a circle. This list is the one place the order is
 * written down; DESIGN.md in the repo (docs/ARCHITECTURE.md) draws it.
 */
const CORE_LAYERS = [
  'errors', // src/errors.ts: every error class
  'definitions', // entities, sources, views, value types: plain data
  'registry', // the registry document, diff, validation, the memory registry store
  'retrieval', // feature references resolved to views, request types
  'arrow', // rows <-> Arrow columns
  'sql', // the SqlEngine interface and the building blocks every query uses
  'transform', // on-demand transforms over rows and columns
  'online', // the OnlineStore interface, entity keys, the memory store, wire responses
  'feast', // Feast's own file formats: protobuf registry, Value, Redis/SQLite layouts
  'stream', // stream views: windows, tiles, ingest, their history in SQL
  'offline', // the OfflineStore interface and its DuckDB implementation
  'store', // the FeatureStore facade
  'server', // Feast's HTTP API (Hono)
];
const RUNTIMES = ['node', 'browser', 'worker', 'cloudflare', 'deno', 'service-worker'];
/** Runtimes that run inside a browser may use the browser runtime's adapters (IndexedDB, DuckDB-WASM async); Node writes the edge's KV layouts with their stores' code. */
const MAY_USE = { worker: ['browser'], 'service-worker': ['browser'], node: ['cloudflare', 'deno'] };

const layerPath = (name) => (name === 'errors' ? '^src/errors\\.ts$' : `^src/${name}/`);
const upward = CORE_LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer}-imports-upward`,
  comment: `${layer} may import only ${CORE_LAYERS.slice(0, i).join(', ') || 'packages'}`,
  severity: 'error',
  from: { path: layerPath(layer) },
  to: { path: CORE_LAYERS.slice(i + 1).map(layerPath) },
}));
const betweenRuntimes = RUNTIMES.map((runtime) => ({
  name: `runtime-${runtime}-imports-another-runtime`,
  comment: `src/runtime/${runtime} is one adapter; it may use ${(MAY_USE[runtime] ?? []).join(', ') || 'no other runtime'}`,
  severity: 'error',
  from: { path: `^src/runtime/${runtime}/` },
  to: { path: '^src/runtime/([^/]+)/', pathNot: [`^src/runtime/(${[runtime, ...(MAY_USE[runtime] ?? [])].join('|')})/`] },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'import cycles hide the layer order', from: {}, to: { circular: true } },
    {
      name: 'core-imports-a-runtime', severity: 'error',
      comment: 'the core knows no runtime: runtime/<name> wires defaults into it',
      from: { path: '^src/', pathNot: ['^src/(runtime|cli)/', '^src/index\\.ts$'] },
      to: { path: '^src/(runtime|cli)/' },
    },
    {
      name: 'root-entry-imports-a-runtime', severity: 'error',
      comment: "the 'feast-edge' entry is the portable core; runtimes have their own subpaths",
      from: { path: '^src/index\\.ts$' }, to: { path: '^src/(runtime|cli)/' },
    },
    { name: 'runtime-imports-the-cli', severity: 'error', from: { path: '^src/runtime/' }, to: { path: '^src/cli/' } },
    {
      name: 'src-imports-targets-or-build', severity: 'error', comment: 'targets/ and build/ sit on top of src/',
      from: { path: '^src/' }, to: { path: '^(targets|build)/' },
    },
    {
      name: 'portable-core-imports-node', severity: 'error',
      comment: 'the core runs in browsers, workerd and Deno: Node built-ins only in src/runtime/node and src/cli',
      from: { path: '^src/', pathNot: ['^src/(runtime/node|cli)/'] },
      to: { dependencyTypes: ['core'] },
    },
    ...upward,
    ...betweenRuntimes,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|dist-edge)/|\\.test\\.ts$|^src/feast/proto/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
