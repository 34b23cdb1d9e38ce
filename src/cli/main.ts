#!/usr/bin/env node
/**
 * The feast-edge command. Its packages are optional peers of the library (an edge-only
 * install skips them), so it checks they are installed before loading anything, and
 * says which to install instead of failing on an import.
 */
import { missingCliPackages } from './required-packages.js';

const missing = missingCliPackages((name) => import.meta.resolve(name));
if (missing.length > 0) {
  console.error(`error: the feast-edge CLI needs packages that library users may skip; install them with: npm install ${missing.join(' ')}`);
  process.exitCode = 1;
} else {
  const { runCli } = await import('./program.js');
  // exitCode, not exit(): pending output is flushed before the process ends.
  process.exitCode = await runCli(process.argv);
}
