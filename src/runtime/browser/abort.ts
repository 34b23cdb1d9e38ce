import { AbortError } from '../../errors.js';

/** The error cancelled work rejects with: a FeastEdgeError named like the DOM's AbortError. */
export function abortError(what: string): AbortError {
  return new AbortError(`${what}: cancelled`);
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw abortError(what);
}
