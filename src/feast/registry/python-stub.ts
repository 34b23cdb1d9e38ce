/**
 * Feast 0.66 rebuilds an on-demand view's function from its source text
 * (`user_defined_function.body_text`) whenever it reads the registry, and falls back to
 * the dill pickle only when that fails. A feast-edge view's transform is TypeScript, so it
 * is written as a small Python function that refuses to run, with the TypeScript text on
 * its first line: Feast reads the registry and lists the view, and reading the registry
 * back into feast-edge restores the TypeScript transform.
 */

const MARKER = '# feast-edge:typescript-transform ';

/** The mode Feast is told for such a view; its `feast registry-dump` fails on 'python' ones. */
export const STUB_FEAST_MODE = 'pandas';

export interface TypeScriptTransform {
  readonly mode: 'rows' | 'columns';
  readonly source: string;
}

/** A Python identifier for the stub's function: Feast finds the function by this name. */
export function pythonFunctionName(viewName: string): string {
  const name = viewName.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

export function pythonStubFor(viewName: string, transform: TypeScriptTransform): string {
  // One line of JSON; U+2028/U+2029 are escaped so no reader splits the comment.
  const json = JSON.stringify({ mode: transform.mode, source: transform.source })
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const message = `on-demand feature view ${JSON.stringify(viewName)} is computed by feast-edge in TypeScript; Feast cannot run it`;
  return `${MARKER}${json}\ndef ${pythonFunctionName(viewName)}(inputs):\n    raise NotImplementedError(${JSON.stringify(message)})\n`;
}

/** The TypeScript transform a stub carries, or undefined for Python written by Feast. */
export function typescriptFromStub(bodyText: string): TypeScriptTransform | undefined {
  if (!bodyText.startsWith(MARKER)) return undefined;
  const line = bodyText.slice(MARKER.length).split('\n', 1)[0];
  try {
    const parsed = JSON.parse(line) as { mode?: unknown; source?: unknown };
    if ((parsed.mode === 'rows' || parsed.mode === 'columns') && typeof parsed.source === 'string') return { mode: parsed.mode, source: parsed.source };
  } catch {
    // Not our line after all: treat the text as Python.
  }
  return undefined;
}
