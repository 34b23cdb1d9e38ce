/**
 * A value as an error message shows it: JSON, cut short. Messages name bad input; a 1 MB
 * string or a deeply nested array must not become a 1 MB message (or overflow the stack).
 */
export function shownValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Array.isArray(value) ? `an array of ${value.length}` : typeof value;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
