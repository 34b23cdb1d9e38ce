/**
 * The deepest nesting a request body may have. Feast's bodies nest 3-4 levels (a column
 * of list values); 64 leaves room, and keeps every later step that walks a value
 * recursively (type checks, error messages that quote it) far from the stack's limit.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The path (keys and indexes) to the first value nested deeper than `limit` arrays and
 * objects, or undefined when none is. Walked with an explicit stack: a recursive walk
 * would overflow on the very bodies it must refuse.
 */
export function tooDeepAt(value: unknown, limit = MAX_JSON_DEPTH): (string | number)[] | undefined {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= limit) return path;
    const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((item, i) => [i, item]) : Object.entries(current);
    for (const [key, item] of entries) if (typeof item === 'object' && item !== null) stack.push({ value: item, path: [...path, key] });
  }
  return undefined;
}
