import { Table, type Vector } from 'apache-arrow';
import { FeastEdgeError } from '../definitions/errors.js';
import type { TransformColumns, TransformRow } from '../definitions/index.js';
import { RequestDataNotFoundInEntityDfException } from '../offline/errors.js';
import type { OnDemandStep } from '../offline/retrieval-plan.js';
import { plainValues, vectorOfType } from '../offline/arrow-types.js';

/** The on-demand view's loaded code differs from what was applied. */
export class OnDemandTransformMismatchError extends FeastEdgeError {
  constructor(message: string) { super('OnDemandTransformMismatchError', message); }
}

/**
 * Runs each on-demand step over the joined table and appends its outputs. Inputs are
 * plain JS values (safe int64 as number, timestamps as Date); columnar transforms get
 * whole columns at once.
 */
export function runOnDemand(table: Table, steps: readonly OnDemandStep[]): Table {
  if (steps.length === 0) return table;
  const columns: Record<string, Vector> = {};
  for (const field of table.schema.fields) columns[field.name] = table.getChild(field.name)!;
  for (const step of steps) {
    const code = loadedCode(step);
    const inputs: TransformColumns = {};
    for (const input of step.inputs) inputs[input.name] = plainValues(table.getChild(input.column));
    for (const field of step.requestFields) {
      const column = table.getChild(field.name);
      if (!column) {
        throw new RequestDataNotFoundInEntityDfException(
          `on-demand view '${step.view.name}' needs request field '${field.name}', which the entity dataframe lacks`,
        );
      }
      inputs[field.name] = plainValues(column);
    }
    const outputs = code.mode === 'columns' ? runColumns(code.transformColumns!, inputs, table.numRows, step)
      : runRows(code.transform!, inputs, table.numRows);
    for (const out of step.outputs) {
      const field = step.view.features.find((f) => f.name === out.feature)!;
      const values = outputs[out.feature];
      if (!values) {
        throw new FeastEdgeError('OnDemandTransformError', `on-demand view '${step.view.name}': the transform returned no '${out.feature}'`);
      }
      columns[out.output] = vectorOfType(Array.from(values), field.dtype, `on-demand view '${step.view.name}' output '${out.feature}'`);
    }
  }
  return new Table(columns);
}

function loadedCode(step: OnDemandStep) {
  const code = step.code;
  if (!code) {
    throw new OnDemandTransformMismatchError(
      `on-demand view '${step.view.name}': its transform is not loaded; pass the repo's definitions to the feature store`,
    );
  }
  if (code.transformSource !== step.view.transformSource) {
    throw new OnDemandTransformMismatchError(
      `on-demand view '${step.view.name}': the loaded transform differs from the applied one; run apply`,
    );
  }
  return code;
}

function runColumns(fn: (c: TransformColumns) => TransformColumns, inputs: TransformColumns, rows: number, step: OnDemandStep): TransformColumns {
  const out = fn(inputs);
  for (const [name, values] of Object.entries(out ?? {})) {
    if (values?.length !== rows) {
      throw new FeastEdgeError('OnDemandTransformError', `on-demand view '${step.view.name}': output '${name}' has ${values?.length} values for ${rows} rows`);
    }
  }
  return out;
}

function runRows(fn: (r: TransformRow) => TransformRow, inputs: TransformColumns, rows: number): TransformColumns {
  const names = Object.keys(inputs);
  const out: Record<string, unknown[]> = {};
  for (let i = 0; i < rows; i++) {
    const row: TransformRow = {};
    for (const name of names) row[name] = inputs[name][i];
    const result = fn(row) ?? {};
    for (const [name, value] of Object.entries(result)) (out[name] ??= new Array(rows).fill(null))[i] = value;
  }
  return out;
}
