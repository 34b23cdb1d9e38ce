import * as v from 'valibot';
import { keyMessage } from '../../definitions/schema-issue.js';

/** A mapping with only these keys; another key's message lists them. */
export function strictKeys<const E extends v.ObjectEntries>(entries: E) {
  return v.strictObject(entries, keyMessage(entries, `known keys: ${Object.keys(entries).join(', ')}`));
}
