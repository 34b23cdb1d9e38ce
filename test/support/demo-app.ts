/**
 * Runs the built demo app as users do: `feast-edge serve --ui <built app>` over an example
 * repo, and the system Chromium (never a downloaded one) pointed at its URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { CLI } from '../cli/built-cli.js';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Launches the system Chromium headless with the flags every browser test uses. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: ARGS, headless: true });
}

export interface ServedDemo {
  /** `http://127.0.0.1:<port>`, the web app's origin: the app is at `/`, the feature server's routes beside it. */
  readonly url: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Stops the server (SIGTERM) and resolves when it has exited: the browser then sees the network gone. */
  stop(): Promise<void>;
}

/** Starts the built CLI's `serve --ui <ui>` over `repo` on free ports; resolves with the web app's URL once it prints it. */
export function serveDemo(repo: string, ui: string): Promise<ServedDemo> {
  const child: ChildProcess = spawn(process.execPath, [CLI, '--repo', repo, 'serve', '--port', '0', '--ui', ui, '--ui-port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = output.match(/Web app from .* at (http:\/\/\S+)\/ /);
      if (found) {
        resolve({
          url: found[1],
          output: () => output,
          async stop() {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    void exited.then(() => reject(new Error(`serve exited before printing its URL: ${output}`)));
  });
}
