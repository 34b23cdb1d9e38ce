// `npm run build:demo`: the example repo (made by `feast-edge init` on first run) and the
// demo app built into demo/dist, service worker included. Run with tsx: it imports src/.
import { relative } from 'node:path';
import { buildDemo } from '../demo/build/build-demo.js';

const outDir = await buildDemo({ outDir: process.argv[2] });
console.log(`Built the demo app into ${relative(process.cwd(), outDir) || '.'}`);
