import type { Context } from 'hono';
import { RequestValidationError } from '../errors.js';
import { MAX_JSON_DEPTH, tooDeepAt } from './json-depth.js';
import { pythonJsonError } from './python-json-error.js';
import { detailOf, validateModel, type FastApiErrorDetail, type Model } from './request-models.js';

/** FastAPI reads a body as JSON only for `application/json` or `application/*+json`. */
function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const [type] = header.split(';');
  const [main, sub] = type.trim().toLowerCase().split('/');
  return main === 'application' && sub !== undefined && (sub === 'json' || sub.endsWith('+json'));
}

function refuse(details: FastApiErrorDetail[]): never {
  const first = details[0];
  throw new RequestValidationError(`${first.loc.join('.')}: ${first.msg}${details.length > 1 ? ` (and ${details.length - 1} more)` : ''}`, details);
}

/**
 * The request's body checked against the route's model, as FastAPI reads it: JSON when
 * the content type says so (a malformed text is `json_invalid` at Python's position,
 * with Python's message), the raw text otherwise (which no model accepts), nothing for
 * an empty body. A failure is a RequestValidationError carrying FastAPI's entries.
 */
export async function readModel<T>(c: Context, model: Model): Promise<T> {
  const text = await c.req.text();
  let body: unknown;
  if (text.length > 0) {
    if (isJsonContentType(c.req.header('content-type'))) {
      try {
        body = JSON.parse(text);
      } catch {
        const error = pythonJsonError(text) ?? { msg: 'Expecting value', pos: 0 };
        refuse([{ type: 'json_invalid', loc: ['body', error.pos], msg: 'JSON decode error', input: {}, ctx: { error: error.msg } }]);
      }
    } else {
      body = text;
    }
  }
  // Refused before anything walks the value recursively (issue 14, finding 4: a stack overflow, then a 500).
  const deep = tooDeepAt(body);
  if (deep) refuse([{ type: 'value_error', loc: ['body', ...deep], msg: `Value error, nested deeper than ${MAX_JSON_DEPTH} levels`, input: null }]);
  const checked = validateModel(model, body);
  if ('errors' in checked) refuse(checked.errors);
  return checked.value as T;
}

const TRUE = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

/** A boolean query parameter (`?async=true`), read as FastAPI reads one; absent is false. */
export function queryFlag(c: Context, name: string): boolean {
  const value = c.req.query(name);
  if (value === undefined) return false;
  if (TRUE.has(value.toLowerCase())) return true;
  if (FALSE.has(value.toLowerCase())) return false;
  refuse([detailOf('bool_parsing', ['query', name], value)]);
}
