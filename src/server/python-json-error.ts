/**
 * Where and why Python's json module refuses a text, in its own words: Feast's server
 * answers a malformed body with FastAPI's 422 carrying Python's message ("Expecting ','
 * delimiter") and the position (in code points) where decoding stopped. Run only after
 * JSON.parse has failed, so a valid body never pays for it.
 */
export interface PythonJsonError {
  readonly msg: string;
  /** Python's `JSONDecodeError.pos`: an index in code points. */
  readonly pos: number;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?/;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

class Stop {
  constructor(
    readonly msg: string,
    readonly at: number,
  ) {}
}

/** The error Python's `json.loads(text)` raises, or undefined when it reads the text. */
export function pythonJsonError(text: string): PythonJsonError | undefined {
  let i = 0;
  const skip = () => {
    while (i < text.length && WHITESPACE.has(text[i])) i++;
  };
  const value = (): void => {
    const c = text[i];
    const nested = c === '"' ? string : c === '{' ? object : c === '[' ? array : undefined;
    if (nested) {
      nested();
      return;
    }
    for (const literal of ['null', 'true', 'false']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    // Python also reads NaN and Infinity; feast-edge refuses them (JSON has no such values).
    const number = NUMBER.exec(text.slice(i, i + 400));
    if (!number) throw new Stop('Expecting value', i);
    i += number[0].length;
  };
  const string = (): void => {
    const begin = i++;
    for (;;) {
      if (i >= text.length) throw new Stop('Unterminated string starting at', begin);
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') throw new Stop('Invalid control character at', i);
      if (c === '\\') {
        const escaped = text[i + 1];
        if (escaped === undefined) throw new Stop('Unterminated string starting at', begin);
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop('Invalid \\uXXXX escape', i + 1);
          i += 6;
          continue;
        }
        if (!ESCAPES.has(escaped)) throw new Stop('Invalid \\escape', i);
        i += 2;
        continue;
      }
      i++;
    }
  };
  const object = (): void => {
    i++;
    skip();
    if (text[i] === '}') {
      i++;
      return;
    }
    for (;;) {
      if (text[i] !== '"') throw new Stop('Expecting property name enclosed in double quotes', i);
      string();
      skip();
      if (text[i] !== ':') throw new Stop("Expecting ':' delimiter", i);
      i++;
      skip();
      value();
      skip();
      if (text[i] === '}') {
        i++;
        return;
      }
      if (text[i] !== ',') throw new Stop("Expecting ',' delimiter", i);
      i++;
      skip();
    }
  };
  const array = (): void => {
    i++;
    skip();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      value();
      skip();
      if (text[i] === ']') {
        i++;
        return;
      }
      if (text[i] !== ',') throw new Stop("Expecting ',' delimiter", i);
      i++;
      skip();
    }
  };
  try {
    skip();
    value();
    skip();
    if (i !== text.length) throw new Stop('Extra data', i);
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    // JavaScript indexes UTF-16 units, Python code points.
    return { msg: error.msg, pos: [...text.slice(0, error.at)].length };
  }
}
