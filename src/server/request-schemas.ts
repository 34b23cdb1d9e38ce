import * as v from 'valibot';

/*
 * The bodies of Feast's Python feature server routes (snake_case on the wire). Checked
 * before anything runs, so a malformed request is a 422 naming the field.
 */
const name = v.pipe(v.string('expected a name (a string)'), v.minLength(1, 'expected a non-empty name'));
/** Keys valibot's record leaves out (prototype safety): refused, so such a column is never silently dropped. */
const RESERVED_KEYS = ['__proto__', 'constructor', 'prototype'];
const columns = v.pipe(
  v.unknown(),
  v.check(
    (value) => typeof value !== 'object' || value === null || !RESERVED_KEYS.some((key) => Object.hasOwn(value, key)),
    `expected column names other than ${RESERVED_KEYS.map((k) => `'${k}'`).join(', ')}`,
  ),
  v.record(v.string(), v.array(v.unknown(), 'expected an array of values')),
  v.check((value) => Object.keys(value).length > 0, 'expected at least one column'),
);
const timestamp = v.union([v.string(), v.number()], 'expected an ISO 8601 timestamp string or epoch seconds');
const viewNames = v.optional(v.nullable(v.array(name, 'expected an array of feature view names')));

const OBJECT = 'expected a JSON object';

export const getOnlineFeaturesBody = v.pipe(
  v.object(
    {
      features: v.optional(
        v.array(
          v.pipe(v.string('expected a feature reference view:feature'), v.regex(/^[^:]+:[^:]+$/, 'expected a feature reference view:feature')),
          'expected an array of feature references',
        ),
      ),
      feature_service: v.optional(name),
      entities: columns,
      full_feature_names: v.optional(v.boolean('expected true or false')),
    },
    OBJECT,
  ),
  v.check((body) => (body.features === undefined) !== (body.feature_service === undefined), 'expected exactly one of features or feature_service'),
);

/** Flags Feast's write routes accept; feast-edge reads the registry per its ttl and has no write-time transforms. */
const feastWriteFlags = {
  allow_registry_cache: v.optional(v.boolean('expected true or false')),
  transform_on_write: v.optional(v.boolean('expected true or false')),
};

export const pushBody = v.object(
  {
    push_source_name: name,
    df: columns,
    to: v.optional(v.picklist(['online', 'offline', 'online_and_offline'], "expected 'online', 'offline' or 'online_and_offline'")),
    ...feastWriteFlags,
  },
  OBJECT,
);

export const writeToOnlineStoreBody = v.object(
  {
    feature_view_name: name,
    df: columns,
    ...feastWriteFlags,
  },
  OBJECT,
);

export const materializeBody = v.object(
  {
    start_ts: timestamp,
    end_ts: timestamp,
    feature_views: viewNames,
  },
  OBJECT,
);

export const materializeIncrementalBody = v.object(
  {
    end_ts: timestamp,
    feature_views: viewNames,
  },
  OBJECT,
);

/** The first problem of a failed check, as `field: what was expected`. */
export function describeIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const issue = issues[0];
  const path = issue.path?.map((item) => String(item.key)).join('.') || 'body';
  // A required field that is absent: valibot reports the key; say it is missing.
  if (issue.kind === 'schema' && issue.type === 'object' && issue.input === undefined && issue.path?.length) return `${path}: missing; this field is required`;
  return `${path}: ${issue.message}`;
}
