/*
 * The request bodies of Feast's feature server, checked as FastAPI checks them (pydantic
 * models, lax mode), so that a malformed request gets FastAPI's 422 answer: one
 * `{type, loc, msg, input}` per problem, fields in the model's order. Written by hand
 * rather than with valibot because the answer must follow pydantic's rules, not only
 * its verdicts: an array is not an object, "yes" is a boolean, every problem is listed.
 */

/** One entry of FastAPI's `{"detail": [...]}`. */
export interface FastApiErrorDetail {
  readonly type: string;
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly input: unknown;
  readonly ctx?: Readonly<Record<string, unknown>>;
}

type FieldKind = 'str' | 'bool' | 'dict' | 'strList' | 'columns';

interface ModelField {
  readonly kind: FieldKind;
  /** Required: absent is a `missing` error. */
  readonly required?: boolean;
  /** `Optional[...]`: null is accepted (as absent). */
  readonly nullable?: boolean;
}

/** A pydantic model: its fields in declaration order, which is the order errors are listed in. */
export type Model = Readonly<Record<string, ModelField>>;

const MESSAGES: Record<string, string> = {
  missing: 'Field required',
  string_type: 'Input should be a valid string',
  bool_type: 'Input should be a valid boolean',
  bool_parsing: 'Input should be a valid boolean, unable to interpret input',
  list_type: 'Input should be a valid list',
  dict_type: 'Input should be a valid dictionary',
  model_attributes_type: 'Input should be a valid dictionary or object to extract fields from',
};

export const detailOf = (type: string, loc: readonly (string | number)[], input: unknown): FastApiErrorDetail => ({ type, loc, msg: MESSAGES[type], input });

const TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** pydantic's lax boolean: true/false, 0/1, and the strings it knows (case-insensitively). */
function toBool(value: unknown, loc: (string | number)[], errors: FastApiErrorDetail[]): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
    errors.push(detailOf('bool_parsing', loc, value));
    return undefined;
  }
  if (typeof value === 'number' && (value === 0 || value === 1)) return value === 1;
  errors.push(detailOf(typeof value === 'number' && Number.isInteger(value) ? 'bool_parsing' : 'bool_type', loc, value));
  return undefined;
}

function check(kind: FieldKind, value: unknown, loc: (string | number)[], errors: FastApiErrorDetail[]): unknown {
  switch (kind) {
    case 'str':
      if (typeof value !== 'string') errors.push(detailOf('string_type', loc, value));
      return value;
    case 'bool':
      return toBool(value, loc, errors);
    case 'dict':
      if (!isObject(value)) errors.push(detailOf('dict_type', loc, value));
      return value;
    case 'strList':
      if (!Array.isArray(value)) errors.push(detailOf('list_type', loc, value));
      else value.forEach((item, i) => check('str', item, [...loc, i], errors));
      return value;
    case 'columns':
      // Dict[str, List[Any]]
      if (!isObject(value)) errors.push(detailOf('dict_type', loc, value));
      else for (const [key, column] of Object.entries(value)) if (!Array.isArray(column)) errors.push(detailOf('list_type', [...loc, key], column));
      return value;
  }
}

/**
 * The body checked against `model`: the fields present (absent optional ones left out,
 * null ones as absent), or FastAPI's error entries. `body` is the parsed JSON, undefined
 * for an empty body, or the raw text of a body that was not sent as JSON.
 */
export function validateModel(model: Model, body: unknown): { value: Record<string, unknown> } | { errors: FastApiErrorDetail[] } {
  if (body === undefined || body === null) return { errors: [detailOf('missing', ['body'], null)] };
  if (!isObject(body)) return { errors: [detailOf('model_attributes_type', ['body'], body)] };
  const errors: FastApiErrorDetail[] = [];
  const value: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(model)) {
    if (!Object.hasOwn(body, name)) {
      if (field.required) errors.push(detailOf('missing', ['body', name], body));
      continue;
    }
    const given = body[name];
    if (given === null && field.nullable) continue;
    const checked = check(field.kind, given, ['body', name], errors);
    if (checked !== undefined) value[name] = checked;
  }
  return errors.length > 0 ? { errors } : { value };
}

/** `GetOnlineFeaturesRequest` */
export const getOnlineFeaturesModel: Model = {
  entities: { kind: 'columns', required: true },
  feature_service: { kind: 'str', nullable: true },
  features: { kind: 'strList' },
  full_feature_names: { kind: 'bool' },
  include_feature_view_version_metadata: { kind: 'bool' },
};

/** `PushFeaturesRequest` */
export const pushModel: Model = {
  push_source_name: { kind: 'str', required: true },
  df: { kind: 'dict', required: true },
  allow_registry_cache: { kind: 'bool' },
  to: { kind: 'str' },
  transform_on_write: { kind: 'bool' },
};

/** `WriteToFeatureStoreRequest` */
export const writeToOnlineStoreModel: Model = {
  feature_view_name: { kind: 'str', required: true },
  df: { kind: 'dict', required: true },
  allow_registry_cache: { kind: 'bool' },
  transform_on_write: { kind: 'bool' },
};

/** `MaterializeRequest` */
export const materializeModel: Model = {
  start_ts: { kind: 'str', nullable: true },
  end_ts: { kind: 'str', nullable: true },
  feature_views: { kind: 'strList', nullable: true },
  disable_event_timestamp: { kind: 'bool' },
  full_feature_names: { kind: 'bool' },
  version: { kind: 'str', nullable: true },
};

/** `MaterializeIncrementalRequest` */
export const materializeIncrementalModel: Model = {
  end_ts: { kind: 'str', required: true },
  feature_views: { kind: 'strList', nullable: true },
  full_feature_names: { kind: 'bool' },
  version: { kind: 'str', nullable: true },
};
