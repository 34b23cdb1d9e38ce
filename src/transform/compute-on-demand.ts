import { OnDemandTransformError, OnDemandTransformMismatchError } from '../errors.js';
import type { OnDemandFeatureView, TransformColumns, TransformRow } from '../definitions/index.js';
import type { StoredOnDemandFeatureView } from '../registry/document.js';

/** The loaded code of a stored on-demand view, refusing code that differs from what was applied. */
export function loadedTransform(stored: StoredOnDemandFeatureView, code: OnDemandFeatureView | undefined): OnDemandFeatureView {
  // A view read from Feast's registry has a Python transform, which cannot be compared
  // with TypeScript: TypeScript code loaded under its name runs in its place.
  if (stored.transformLanguage === 'python' && code) return code;
  if (!code) {
    throw new OnDemandTransformMismatchError(`on-demand view '${stored.name}': its transform is not loaded; pass the repo's definitions to the feature store`);
  }
  if (code.transformSource !== stored.transformSource) {
    throw new OnDemandTransformMismatchError(`on-demand view '${stored.name}': the loaded transform differs from the applied one; run apply`);
  }
  return code;
}

/**
 * Runs one on-demand transform over plain input columns (no Arrow, so the online path
 * can use it) and returns its output columns, each `rows` long.
 */
export function computeOnDemand(code: OnDemandFeatureView, inputs: TransformColumns, rows: number): TransformColumns {
  if (code.mode === 'columns') {
    const out = code.transformColumns!(inputs) ?? {};
    for (const [name, values] of Object.entries(out)) {
      if (values?.length !== rows) {
        throw new OnDemandTransformError(`on-demand view '${code.name}': output '${name}' has ${values?.length} values for ${rows} rows`);
      }
    }
    return out;
  }
  const names = Object.keys(inputs);
  const out: Record<string, unknown[]> = {};
  for (let i = 0; i < rows; i++) {
    const row: TransformRow = {};
    for (const name of names) row[name] = inputs[name][i];
    const result = code.transform!(row) ?? {};
    for (const [name, value] of Object.entries(result)) (out[name] ??= new Array(rows).fill(null))[i] = value;
  }
  return out;
}
