// `npm start`: builds the package and the demo app (see package.json; build:demo also
// creates the example repo under demo/example-repo on first run), applies and
// materializes the repo, prints a point-in-time training set built from its entity file,
// then serves Feast's HTTP API and the demo app at the same origin,
// http://127.0.0.1:6566/, until Ctrl-C. PORT and HOST override the address.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';

const cli = (...args) => execFileSync(process.execPath, ['dist/cli/main.js', ...args], { stdio: 'inherit' });
const repo = 'demo/example-repo';
const ui = 'demo/dist';
if (!existsSync(`${repo}/feature_store.yaml`)) cli('init', repo);
if (!existsSync(`${ui}/index.html`)) throw new Error(`${ui} is missing: run \`npm run build:demo\` (npm start does)`);
cli('--repo', repo, 'apply');
cli(
  '--repo',
  repo,
  'get-historical-features',
  '--entity-df',
  `${repo}/data/entity_df.csv`,
  '--feature-service',
  'driver_activity',
  '--output',
  `${repo}/data/training_set.csv`,
);
console.log(readFileSync(`${repo}/data/training_set.csv`, 'utf8'));
// The sample data spans 2021-04-08 to 2021-04-12.
cli('--repo', repo, 'materialize', '2021-04-01T00:00:00Z', '2021-04-13T00:00:00Z');

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '6566';
console.log(
  `Try: curl -s http://${host}:${port}/get-online-features -d '{"feature_service":"driver_activity","entities":{"driver_id":[1001,1002],"customer_id":[2001,2002],"val_to_add":[1,2]}}'`,
);
console.log(`Demo app: open http://${host}:${port}/ (after one visit it also works offline)`);
const server = spawn(process.execPath, ['dist/cli/main.js', '--repo', repo, 'serve', '--host', host, '--port', port, '--ui', ui], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
