/**
 * Comments and strings under src/ cite public sources (a REST spec file and version, an SDK's
 * published types, a Microsoft document, the seed article with its section), never the project's
 * own working notes, which do not ship: a reader of the package cannot open "domain.md rule 5" or
 * "issue 8". This scans every file under src/ for such citations.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";

const root = join(import.meta.dirname, "../..");

/** Citations of notes that do not ship, each with what it looks like. */
const noteCitations: readonly { readonly name: string; readonly pattern: RegExp }[] = [
  { name: "a working note by file name", pattern: /\b(?:domain|api|style)\.md\b/i },
  { name: "the notes folder", pattern: /\b(?:shared|seed)\/(?!\*)/ },
  { name: "the working notes", pattern: /\bdomain notes?\b/i },
  { name: "a numbered rule of the notes", pattern: /\brules? \d+\b/i },
  { name: "the brief", pattern: /\b(?:the|developers'|common) brief\b/i },
  // A public tracker's issue is a source when its project is named ("Azure/Batch issue 122").
  { name: "a project issue number", pattern: /(?<!\b(?:[\w.-]+\/[\w.-]+|MSAL for JS) )\bissue #?\d+/i },
];

function citationsIn(text: string): string[] {
  const found: string[] = [];
  text.split("\n").forEach((line, i) => {
    for (const { name, pattern } of noteCitations) if (pattern.test(line)) found.push(`${i + 1}: ${name}: ${line.trim()}`);
  });
  return found;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe("source comments cite public sources, not working notes", () => {
  test("the patterns catch note citations and let public ones through", () => {
    for (const bad of ["(domain.md rule 5)", "see issue 8", "as the brief says", "read ../shared/api.md", "domain notes rule 1", "(rules 1 and 3)"]) {
      expect(citationsIn(bad), bad).not.toEqual([]);
    }
    for (const good of [
      "Azure/Batch issue 122: a registry pull refused",
      "MSAL for JS issue 1735 (the 401 body)",
      'seed article, section "Behavior scenarios" (row 4)',
      "BatchManagement.json 2025-06-01, `Pool.identity`",
      "the site table's rows",
    ]) {
      expect(citationsIn(good), good).toEqual([]);
    }
  });

  test("no file under src/ cites a note that does not ship", () => {
    const found = filesUnder(join(root, "src")).flatMap((file) => citationsIn(readFileSync(file, "utf8")).map((c) => `${relative(root, file)}:${c}`));
    expect(found).toEqual([]);
  });
});
