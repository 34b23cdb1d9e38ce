import { FeastEdgeError } from '../../errors.js';

/** A registry.db that is not a readable `feast.core.Registry`, or lacks the asked-for project. */
export class FeastRegistryError extends FeastEdgeError {
  constructor(message: string) { super('FeastRegistryError', message); }
}

/**
 * An object feast-edge cannot represent. The reader catches it and keeps the object whole
 * (FeastCarriedObject) with this message as the reason; it never reaches the caller.
 */
export class UnmodeledFeastObject extends FeastEdgeError {
  constructor(message: string) { super('UnmodeledFeastObject', message); }
}
