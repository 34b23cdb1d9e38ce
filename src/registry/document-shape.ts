import * as v from 'valibot';
import { InvalidDefinitionError } from '../errors.js';
import { issueMessage } from '../definitions/schema-issue.js';
import type { RegistryDocument } from './document.js';
import { registryDocument } from './document-schema.js';
import { validateRegistry } from './validate-objects.js';

/**
 * Checks that a parsed registry.json is a feast-edge registry document (formatVersion 1)
 * and that its objects reference each other consistently; the error names the field.
 * @example const doc = parseRegistryDocument(JSON.parse(await file.text()));
 */
export function parseRegistryDocument(value: unknown): RegistryDocument {
  const checked = v.safeParse(registryDocument, value);
  if (!checked.success) throw new InvalidDefinitionError(`registry document ${issueMessage(checked.issues, '', '(root)')}`);
  // The document as written: the schema's output keeps only the fields it checks.
  const doc = value as unknown as RegistryDocument;
  try {
    validateRegistry(doc);
  } catch (error) {
    // A spec missing a nested field fails inside the reference checks as a TypeError.
    if (error instanceof TypeError) throw new InvalidDefinitionError(`registry document: an object lacks a field the registry needs (${error.message})`);
    throw error;
  }
  return doc;
}
