import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkDocExamples, examplesInMarkdown, examplesInSource } from "../../scripts/check-doc-examples.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

describe("code in doc comments and guides", () => {
  it("type-checks against the built package (dist, compiled by the global setup)", () => {
    const { examples, errors } = checkDocExamples(root);
    expect(examples).toBeGreaterThan(20);
    expect(errors.map((e) => `${e.at}: ${e.code} ${e.message}`)).toEqual([]);
  }, 120_000);

  it("finds blocks in TSDoc at their source line, and skips fragments", () => {
    const source = [
      "/**",
      " * Adds.",
      " * @example",
      " * ```ts",
      ' * import { explain } from "typed-batch";',
      ' * explain("AutoStorageNoPermission");',
      " * ```",
      " * ```ts",
      " * client.pools.create(render); // no import: a fragment",
      " * ```",
      " */",
    ].join("\n");
    const fragments: unknown[] = [];
    const found = examplesInSource(source, "src/x.ts", fragments as never);
    expect(found).toEqual([{ source: "src/x.ts", line: 5, code: 'import { explain } from "typed-batch";\nexplain("AutoStorageNoPermission");' }]);
    expect(fragments).toHaveLength(1);
  });

  it("honours ```ts fragment in Markdown even with an import", () => {
    const md = ["```ts fragment", 'import { pool } from "typed-batch";', "```", "```sh", "npm test", "```"].join("\n");
    expect(examplesInMarkdown(md, "docs/x.md")).toEqual([]);
  });
});
