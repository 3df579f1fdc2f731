import { describe, expect, it } from "vitest";
import { parseJsonText } from "../../src/diagnose/json-text.js";

describe("parseJsonText", () => {
  it("drops a leading byte order mark", () => {
    expect(parseJsonText('\uFEFF{"pools": []}')).toEqual({ ok: true, value: { pools: [] } });
  });

  it.each([
    ['{\n  "pools": [,]\n}', 2, 13, "a value"],
    ['{"a": 1,}', 1, 9, "a double-quoted property name"],
    ['{"a" 1}', 1, 6, "':' after the property name"],
    ["[1 2]", 1, 4, "',' or ']'"],
    ['{"a": "x', 1, 9, "a closing quote"],
    ['{"a": "\\q"}', 1, 8, "a valid escape sequence"],
    ["[]]", 1, 3, "the end of the document"],
    ["", 1, 1, "a value"],
  ])("%j: line %i, column %i, expected %s", (text, line, column, expected) => {
    const r = parseJsonText(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toMatchObject({ line, column });
      expect(r.problem.reason).toContain(`expected ${expected}`);
    }
  });

  it("never quotes more than one character of the input", () => {
    const r = parseJsonText('{"sasKey": "sv=1&sig=SECRETCANARY" oops}');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(JSON.stringify(r.problem)).not.toMatch(/SECRET|oops/);
  });

  it("locates errors in deeply nested text without overflowing the stack", () => {
    const r = parseJsonText(`${"[".repeat(200_000)}1,]`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.column).toBe(200_003);
  });
});
