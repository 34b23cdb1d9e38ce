/**
 * What the input schemas (definitions, the registry document, feature_store.yaml) share:
 * messages that read `<the field>: expected <what>, got <what was given>`, and the few
 * shapes valibot checks differently from feast-edge (arrays as objects, absent keys).
 */
import * as v from 'valibot';

/** A valibot message: a text, or one made from the issue (to show what was given). */
export type Message = string | ((issue: v.BaseIssue<unknown>) => string);
/** How a message shows the value it was given. */
export type Shown = (input: unknown) => string;

/** As JSON (`undefined` for what JSON leaves out); a bigint as its digits. */
export const asJson: Shown = (input) => {
  try {
    return String(JSON.stringify(input));
  } catch {
    return String(input);
  }
};

/** The message `expected <what>, got <the value given>`. */
export function expected(what: string, shown: Shown = asJson): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => `expected ${what}, got ${shown(issue.input)}`;
}

/**
 * The field an issue is about, written after `root`: `.key` for an object's field, `[0]`
 * for an item, `['name']` for an entry of an object keyed by name (`record`), ` key`
 * for the key of one, and ` (note)` for a step that is no key (`note`).
 */
export function issuePath(issue: v.BaseIssue<unknown>, root = ''): string {
  let path = root;
  for (const item of issue.path ?? []) {
    const key = String(item.key);
    if (item.type === 'array') path += `[${key}]`;
    else if (item.type === 'map') path += item.origin === 'key' ? ' key' : `['${key}']`;
    else if (item.type === 'unknown' && item.origin === 'key') path += ` (${key})`;
    else path += path ? `.${key}` : key;
  }
  return path;
}

/** `<path>: <message>` of the first issue; `whole` names the input when the issue is about all of it. */
export function issueMessage(issues: readonly v.BaseIssue<unknown>[], root = '', whole = root): string {
  const issue = issues[0];
  return `${issuePath(issue, root) || whole}: ${issue.message}`;
}

/** A path step that is no key, written ` (text)` after the field (a type's Array element). */
export function note(text: string, input: unknown, value: unknown): v.IssuePathItem {
  return { type: 'unknown', origin: 'key', input, key: text, value };
}

const isMapping = (input: unknown): input is Record<string, unknown> => typeof input === 'object' && input !== null && !Array.isArray(input);

/** A JSON object, not an array or null (valibot's object and record take arrays). */
export function mapping(message: Message) {
  return v.custom<Record<string, unknown>>(isMapping, message);
}

/**
 * The message of an object schema over `entries`: valibot reports an absent required key
 * with the object's message, so this gives it its field's own (as for `undefined`), and
 * a key the entries lack (of a strict object) `unknownKey`.
 */
export function keyMessage(entries: v.ObjectEntries, unknownKey: Message = 'unknown key'): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => {
    const key = String(issue.path?.[0]?.key);
    if (!Object.hasOwn(entries, key)) return typeof unknownKey === 'string' ? unknownKey : unknownKey(issue);
    return v.safeParse(entries[key], undefined).issues?.[0].message ?? issue.message;
  };
}

/** An object with these fields (others are ignored); `message` when the value is not an object. */
export function object<const E extends v.ObjectEntries>(entries: E, message: Message) {
  return v.pipe(mapping(message), v.object(entries, keyMessage(entries)));
}

/**
 * An object keyed by name, each value checked by `value`. Checked as a Map, since
 * valibot's record skips the keys '__proto__', 'constructor' and 'prototype', which are
 * names like any other here.
 */
export function record<K extends v.GenericSchema<string>, V extends v.GenericSchema>(key: K, value: V, message: Message) {
  return v.pipe(
    mapping(message),
    v.transform((input) => new Map(Object.entries(input))),
    v.map(key, value),
    v.transform((checked) => Object.fromEntries(checked) as Record<v.InferOutput<K>, v.InferOutput<V>>),
  );
}

/** `schema` checked as one value: a problem anywhere inside it is reported on the value, with `message`. */
export function whole<S extends v.GenericSchema>(schema: S, message: Message) {
  return v.custom<v.InferOutput<S>>((input) => v.is(schema, input), message);
}
