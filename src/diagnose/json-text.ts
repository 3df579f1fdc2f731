/**
 * Parses JSON text for `diagnose`'s callers, and says where it is broken.
 *
 * V8's own message quotes a slice of the input (which may hold a SAS token or a key) and omits
 * the position for some errors, so on failure a small scanner finds the first bad character and
 * the message names only its line, column and what was expected there.
 */

/** Where and why JSON text does not parse. */
export interface JsonSyntaxProblem {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, in UTF-16 code units. */
  readonly column: number;
  /** What the parser expected or found, without quoting the input. */
  readonly reason: string;
}

/** The parsed value, or where the text is broken. */
export type JsonTextResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonSyntaxProblem };

const numberPattern = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

interface ScanError {
  readonly offset: number;
  readonly expected: string;
}

/** Skips a string starting at `i` (an opening quote); returns the offset after it, or an error. */
function skipString(text: string, start: number): number | ScanError {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return { offset: i, expected: "a closing quote (control characters must be escaped)" };
    if (c === 0x5c) {
      const e = text[i + 1];
      if (e === "u") {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, expected: "four hex digits after \\u" };
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e)) return { offset: i, expected: "a valid escape sequence" };
      i += 2;
      continue;
    }
    i++;
  }
  return { offset: text.length, expected: "a closing quote" };
}

/** Skips one scalar value at `i`; returns the offset after it, or an error. */
function skipScalar(text: string, i: number): number | ScanError {
  const c = text[i];
  if (c === '"') return skipString(text, i);
  for (const word of ["true", "false", "null"]) if (text.startsWith(word, i)) return i + word.length;
  numberPattern.lastIndex = i;
  if (numberPattern.test(text)) return numberPattern.lastIndex;
  return { offset: i, expected: "a value (object, array, string, number, true, false or null)" };
}

/**
 * Finds the first syntax error of `text`. Iterative (an explicit stack), so deep nesting cannot
 * overflow the call stack.
 */
function scan(text: string): ScanError | undefined {
  const stack: ("{" | "[")[] = [];
  type State = "value" | "valueOrClose" | "key" | "keyOrClose" | "colon" | "after";
  let state: State = "value";
  let i = 0;
  for (;;) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    const c = text[i];
    const top = stack[stack.length - 1];
    if (state === "after") {
      if (top === undefined) return c === undefined ? undefined : { offset: i, expected: "the end of the document" };
      if (c === ",") [state, i] = [top === "{" ? "key" : "value", i + 1];
      else if ((c === "}" && top === "{") || (c === "]" && top === "[")) [state, i] = [(stack.pop(), "after"), i + 1];
      else return { offset: i, expected: top === "{" ? "',' or '}'" : "',' or ']'" };
      continue;
    }
    if (c === undefined) return { offset: i, expected: state === "colon" ? "':'" : state.startsWith("key") ? "a property name" : "a value" };
    if (state === "colon") {
      if (c !== ":") return { offset: i, expected: "':' after the property name" };
      [state, i] = ["value", i + 1];
      continue;
    }
    if (state === "keyOrClose" || state === "key") {
      if (c === "}" && state === "keyOrClose") [state, i] = [(stack.pop(), "after"), i + 1];
      else if (c !== '"') return { offset: i, expected: state === "keyOrClose" ? "a double-quoted property name or '}'" : "a double-quoted property name" };
      else {
        const end = skipString(text, i);
        if (typeof end !== "number") return end;
        [state, i] = ["colon", end];
      }
      continue;
    }
    if (c === "]" && state === "valueOrClose") [state, i] = [(stack.pop(), "after"), i + 1];
    else if (c === "{") [state, i] = [(stack.push("{"), "keyOrClose"), i + 1];
    else if (c === "[") [state, i] = [(stack.push("["), "valueOrClose"), i + 1];
    else {
      const end = skipScalar(text, i);
      if (typeof end !== "number") return end;
      [state, i] = ["after", end];
    }
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses JSON text after dropping a leading byte order mark (U+FEFF), which editors on Windows write.
 *
 * @internal Used by `typed-batch check`.
 * @example
 * ```ts
 * import { parseJsonText } from "./json-text.js";
 * const r = parseJsonText('{\n  "pools": [,]\n}');
 * if (!r.ok) console.log(r.problem); // { line: 2, column: 13, reason: "expected a value ..." }
 * ```
 */
export function parseJsonText(text: string): JsonTextResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(body) as unknown };
  } catch {
    const error = scan(body);
    const offset = error?.offset ?? body.length;
    const at = lineAndColumn(body, offset);
    // One character cannot carry a secret; more of the input could.
    const char = String.fromCodePoint(body.codePointAt(offset) ?? 0x20);
    const found = offset >= body.length ? "the end of the input" : JSON.stringify(char);
    const reason = error === undefined ? "the text is not valid JSON" : `expected ${error.expected}, found ${found}`;
    return { ok: false, problem: { ...at, reason } };
  }
}
