// The README and the guides it links to work where users read them: every relative link names a file
// that `npm pack` ships (so it resolves in node_modules and on the package page's file browser), or
// the link is absolute. LICENSE ships too.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** Link targets of a Markdown text, outside code blocks and code spans. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g), ...prose.matchAll(/^\[[^\]]+\]:\s*(\S+)/gm)].map((m) => m[1] ?? "");
}

/** Links of `file` (a path inside the package) that neither are absolute nor resolve to a packed file. */
function brokenLinks(file: string, markdown: string, packed: ReadonlySet<string>): string[] {
  return linksOf(markdown).filter((target) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#")) return false;
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(target.split("#")[0] ?? "")));
    return !packed.has(resolved);
  });
}

const packed = (() => {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root, encoding: "utf8" });
  const [info] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return new Set((info?.files ?? []).map((f) => f.path));
})();

describe("links in the packed package", () => {
  test("LICENSE, README and the guides are in the tarball", () => {
    expect(packed.has("LICENSE")).toBe(true);
    expect(readFileSync(path.join(root, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    expect(packed.has("README.md")).toBe(true);
  });

  test("every README link is absolute or resolves to a packed file, and so does every link of the packed guides", () => {
    const markdown = [...packed].filter((f) => f.endsWith(".md"));
    expect(markdown.length).toBeGreaterThan(1);
    const broken = markdown.flatMap((file) => brokenLinks(file, readFileSync(path.join(root, file), "utf8"), packed).map((l) => `${file}: ${l}`));
    expect(broken).toEqual([]);
    expect(linksOf(readFileSync(path.join(root, "README.md"), "utf8")).length).toBeGreaterThan(3);
  });

  test("the check catches a link to a file the tarball does not ship", () => {
    const shipped = new Set(["README.md", "docs/a.md"]);
    expect(brokenLinks("README.md", "[a](docs/a.md) [b](docs/b.md#x) [c](https://example.com) `[d](e.md)` [f](#top)", shipped)).toEqual(["docs/b.md#x"]);
    expect(brokenLinks("docs/a.md", "[up](../README.md) [gone](./api/index.html)", shipped)).toEqual(["./api/index.html"]);
  });
});
