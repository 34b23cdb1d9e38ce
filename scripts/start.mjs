// `npm start`: builds the package and the demo app (see package.json; build:demo also
// makes the example repo under demo/example-repo, or refreshes its data when it is from
// an earlier hour: `feast-edge init` generates it relative to now), applies it, prints a
// point-in-time training set built from its entity file, materializes it up to now, then
// serves Feast's HTTP API on http://127.0.0.1:6566 (for curl and Feast's SDK) and the demo
// app on http://127.0.0.1:8888/ (browsers refuse 6566) until Ctrl-C.
// HOST, PORT (the API) and UI_PORT (the app) override the addresses.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

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
// Every row up to now: the latest per entity is what the views serve. Not incremental, since
// the demo build may have regenerated the data (relative to now) after the last run's end.
const now = Date.now();
cli('--repo', repo, 'materialize', new Date(now - 30 * 86_400_000).toISOString(), new Date(now).toISOString());

const host = process.env.HOST ?? '127.0.0.1';
const port = process.env.PORT ?? '6566';
const uiPort = process.env.UI_PORT ?? '8888';
const server = spawn(process.execPath, ['dist/cli/main.js', '--repo', repo, 'serve', '--host', host, '--port', port, '--ui', ui, '--ui-port', uiPort], {
  stdio: ['inherit', 'pipe', 'inherit'],
});
let printed = '';
let told = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  printed += chunk.toString();
  const api = printed.match(/Serving project '[^']*' at (http:\/\/\S+) /);
  const app = printed.match(/Web app from .* at (http:\/\/\S+) /);
  // Once both are listening: what to open and what to curl, with the ports the servers took.
  if (told || !api || !app) return;
  told = true;
  console.log(
    `\nFeast's HTTP API (for curl and Feast's SDK): curl -s ${api[1]}/get-online-features -H 'content-type: application/json' -d '{"feature_service":"driver_activity","entities":{"driver_id":[1001,1002],"customer_id":[2001,2002],"val_to_add":[1,2]}}'`,
  );
  console.log(`The demo app: open ${app[1]} in a browser (after one visit it also works offline)\n`);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
