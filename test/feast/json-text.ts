/**
 * JSON read and written back without losing what a Python client would see: numbers keep
 * their text (`1.0` stays a float, `-9007199254740993` keeps its digits) and objects their
 * key order. Used to compare feast-edge's bodies with Feast's recorded ones exactly.
 */
export class JsonNumber {
  constructor(readonly text: string) {}
}

export type JsonText = null | boolean | string | JsonNumber | JsonText[] | { [key: string]: JsonText };

export function parseJsonText(text: string): JsonText {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (): JsonText => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: Record<string, JsonText> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        const key = value() as string;
        ws();
        i++; // :
        out[key] = value();
        ws();
        if (text[i++] === '}') return out;
      }
    }
    if (c === '[') {
      i++;
      const out: JsonText[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (text[i++] === ']') return out;
      }
    }
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === '\\') i++;
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    }
    const literal = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)/.exec(text.slice(i, i + 64));
    if (!literal) throw new Error(`not JSON at ${i}: ${text.slice(i, i + 20)}`);
    i += literal[0].length;
    if (literal[0] === 'true' || literal[0] === 'false') return literal[0] === 'true';
    if (literal[0] === 'null') return null;
    return new JsonNumber(literal[0]);
  };
  const out = value();
  ws();
  if (i !== text.length) throw new Error(`extra text at ${i}`);
  return out;
}

/** Compact JSON, as Feast's server (Starlette) writes it: no spaces, key order kept, strings as JSON.stringify writes them. */
export function writeJsonText(value: JsonText): string {
  if (value instanceof JsonNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(writeJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}:${writeJsonText(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
