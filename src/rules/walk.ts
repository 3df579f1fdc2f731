/**
 * Walks a site path (`a.b[].c`) through a plain object, yielding every value found and its
 * concrete path (`a.b[2].c`). A value of the wrong kind on the way (a string where an array must
 * be) is reported, not thrown, so hostile input turns into findings.
 */

/** One value found at a site. */
export interface Found {
  /** The value at the end of the path (never `undefined`). */
  readonly value: unknown;
  /** Its concrete path. */
  readonly path: string;
}

/** A container of the wrong kind met on the way. */
export interface ShapeProblem {
  /** Where. */
  readonly path: string;
  /** What was expected there. */
  readonly expected: "object" | "array";
}

/** Joins a base path and a key the way findings print them. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base === "" ? key : `${base}.${key}`;
}

const own = Object.prototype.hasOwnProperty;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

type Step = { readonly key: string; readonly each: boolean };

const compiled = new Map<string, readonly Step[]>();

function stepsOf(pattern: string): readonly Step[] {
  let steps = compiled.get(pattern);
  if (steps === undefined) {
    steps = pattern.split(".").map((part) => (part.endsWith("[]") ? { key: part.slice(0, -2), each: true } : { key: part, each: false }));
    compiled.set(pattern, steps);
  }
  return steps;
}

/**
 * Every value at `pattern` under `root`. Only own properties are read, so `__proto__` keys
 * and inherited properties never lead anywhere.
 */
export function walk(root: unknown, pattern: string, base: string, problems: ShapeProblem[]): Found[] {
  const out: Found[] = [];
  const steps = stepsOf(pattern);
  const visit = (value: unknown, path: string, index: number): void => {
    if (index === steps.length) {
      if (value !== undefined && value !== null) out.push({ value, path });
      return;
    }
    if (value === undefined || value === null) return;
    if (!isObject(value)) {
      problems.push({ path, expected: "object" });
      return;
    }
    const step = steps[index] as Step;
    if (!own.call(value, step.key)) return;
    const next = value[step.key];
    const nextPath = joinPath(path, step.key);
    if (!step.each) return visit(next, nextPath, index + 1);
    if (next === undefined || next === null) return;
    if (!Array.isArray(next)) {
      problems.push({ path: nextPath, expected: "array" });
      return;
    }
    for (let i = 0; i < next.length; i++) {
      // A missing property reads as absent, but a list item must be something: `[null]` is refused.
      if (next[i] === undefined || next[i] === null) problems.push({ path: joinPath(nextPath, i), expected: "object" });
      else visit(next[i], joinPath(nextPath, i), index + 1);
    }
  };
  visit(root, base, 0);
  return out;
}
