/*
 * The common body of POST /get-online-features taken at the cost of JSON.parse and a look
 * at its few fields. Anything unusual (another content type, a field of another type, a
 * lax boolean like "yes", an unknown field, bad JSON) is left to the full FastAPI-style
 * check (request-body.ts), so every refusal keeps its exact answer.
 */

/** The fields of Feast's GetOnlineFeaturesRequest that feast-edge reads. */
export interface GetOnlineFeaturesBody {
  entities: Record<string, unknown[]>;
  feature_service?: string;
  features?: string[];
  full_feature_names?: boolean;
}

const KNOWN = new Set(['entities', 'features', 'feature_service', 'full_feature_names']);
/** Column names JSON.parse keeps as own keys but later code must not meet (columnsOf refuses them). */
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `text` as a well-formed GetOnlineFeaturesRequest of the usual shape, or undefined when
 * the full check must decide (it alone answers errors).
 * @example fastOnlineFeaturesBody('{"features":["v:f"],"entities":{"id":[1]}}', 'application/json')
 */
export function fastOnlineFeaturesBody(text: string, contentType: string | undefined): GetOnlineFeaturesBody | undefined {
  // The exact header clients send; other spellings go the long way (FastAPI's rules).
  if (contentType !== 'application/json' || text.length === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(body)) return undefined;
  for (const key in body) if (!KNOWN.has(key)) return undefined;
  const { entities, features, feature_service: service, full_feature_names: full } = body;
  if (!isObject(entities)) return undefined;
  for (const name in entities) {
    const column = entities[name];
    if (FORBIDDEN.has(name) || !Array.isArray(column)) return undefined;
    // Nested values (and bodies nested too deep) take the full check, which names them.
    for (const value of column) if (value !== null && typeof value === 'object') return undefined;
  }
  if (features !== undefined) {
    if (!Array.isArray(features) || features.length === 0) return undefined;
    for (const feature of features) if (typeof feature !== 'string') return undefined;
  }
  if (service !== undefined && typeof service !== 'string') return undefined;
  if (full !== undefined && typeof full !== 'boolean') return undefined;
  return body as unknown as GetOnlineFeaturesBody;
}
