// `npm start`: builds, creates the example repo under demo/example-repo on first run,
// applies it and prints a point-in-time training set built from its entity file.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const cli = (...args) => execFileSync(process.execPath, ['dist/cli/main.js', ...args], { stdio: 'inherit' });
const repo = 'demo/example-repo';
if (!existsSync(`${repo}/feature_store.yaml`)) cli('init', repo);
cli('--repo', repo, 'apply');
cli('--repo', repo, 'list', 'feature-views');
cli('--repo', repo, 'get-historical-features', '--entity-df', `${repo}/data/entity_df.csv`,
  '--feature-service', 'driver_activity', '--output', `${repo}/data/training_set.csv`);
console.log(execFileSync('cat', [`${repo}/data/training_set.csv`]).toString());
