import { Table, type Vector } from 'apache-arrow';
import { OnDemandTransformError } from '../errors.js';
import type { TransformColumns } from '../definitions/index.js';
import { RequestDataNotFoundInEntityDfException } from '../errors.js';
import type { OnDemandStep } from '../retrieval/retrieval-plan.js';
import { plainValues, vectorOfType } from '../arrow/arrow-types.js';
import { computeOnDemand, loadedTransform } from './compute-on-demand.js';

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
    const code = loadedTransform(step.view, step.code);
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
    const outputs = computeOnDemand(code, inputs, table.numRows);
    for (const out of step.outputs) {
      const field = step.view.features.find((f) => f.name === out.feature)!;
      const values = outputs[out.feature];
      if (!values) {
        throw new OnDemandTransformError(`on-demand view '${step.view.name}': the transform returned no '${out.feature}'`);
      }
      columns[out.output] = vectorOfType(Array.from(values), field.dtype, `on-demand view '${step.view.name}' output '${out.feature}'`);
    }
  }
  return new Table(columns);
}
