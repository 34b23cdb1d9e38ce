/**
 * Errors carry a stable `name` matching Feast's exception names, so callers and the
 * HTTP layer can map them without parsing messages.
 */
export class FeastEdgeError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** A definition is malformed; the message names the object and the field. */
export class InvalidDefinitionError extends FeastEdgeError {
  constructor(message: string) {
    super('InvalidDefinitionError', message);
  }
}

/** Lists the valid choices in a not-found message, capped so it stays readable. */
export function describeChoices(choices: readonly string[]): string {
  if (choices.length === 0) return 'none exist';
  const shown = choices.slice(0, 20).map((c) => `'${c}'`).join(', ');
  return choices.length > 20 ? `valid: ${shown}, ... (${choices.length} in all)` : `valid: ${shown}`;
}
