import { build } from 'vite';

interface BundleOutput {
  output: { type: string; code?: string }[];
}

/**
 * Bundles one TypeScript entry into a single ES module (dependencies included) for a
 * runtime that cannot load our sources itself. Packages resolve as in a Worker, so
 * msgpackr takes its pure-JS build instead of Node's native extractor.
 */
export async function bundleEntry(entry: string): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    resolve: { conditions: ['workerd', 'worker', 'browser', 'import', 'module', 'default'] },
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: 'entry' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as BundleOutput[];
  const chunks = outputs.flatMap((o) => o.output).filter((o) => o.type === 'chunk');
  if (chunks.length !== 1 || chunks[0].code === undefined) throw new Error(`expected one bundled chunk for ${entry}, got ${chunks.length}`);
  return chunks[0].code;
}
