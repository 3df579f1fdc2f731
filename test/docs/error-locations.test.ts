// The docs say where each compile error lands and with which TypeScript code: a real compiler run
// (TypeScript 5.9, the pinned version) over the README's sample and the article's rows 3 and 4 checks it.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { compile } from "../rules/compiler.js";

const root = new URL("../../", import.meta.url);
const readme = readFileSync(new URL("README.md", root), "utf8");
const outcomes = readFileSync(new URL("docs/article-outcomes.md", root), "utf8");

/** 1-based line of the first line of `source` containing `needle`. */
const lineOf = (source: string, needle: string) => source.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("the README's sample error", () => {
  const sample = /## A short example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  const printed = /stops compiling[^\n]*\n[^\n]*\n\n```\n(error (TS\d+): [\s\S]*?)```/.exec(readme);

  test("is what tsc prints when reader is removed from withIdentities", () => {
    expect(sample).toContain(".withIdentities(worker, reader)");
    const broken = sample.replace(".withIdentities(worker, reader)", ".withIdentities(worker)").replaceAll("await ", "void ");
    const diagnostics = compile({ "readme.ts": `${broken}\nexport {};\n` }).get("readme.ts") ?? [];
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(`TS${d?.code}`).toBe(printed?.[2]);
    expect(d?.line).toBe(lineOf(broken, ".withResourceFile("));
    const quoted = /'CompileError<"(typed-batch: [^"]*)">'/.exec(printed?.[1] ?? "")?.[1];
    expect(d?.typeErrorText).toBe(quoted);
    // The README's first printed line, as the compiler prints it (the type of the offending argument included).
    const firstLine = printed?.[1]?.split("\n")[0]?.replace(/^error TS\d+: /, "") ?? "";
    expect(firstLine).toMatch(/^Argument of type 'HttpUrlResourceFile<"reader".*' is not assignable to parameter of type$/);
    expect(d?.text.split("\n")[0]).toContain(`${firstLine} 'CompileError<`);
  });
});

describe("the README's second sample error", () => {
  const sample = /## A short example\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
  const printed = /Remove `worker` instead[\s\S]*?```\n(error (TS\d+): [\s\S]*?)```/.exec(readme);

  test("is what tsc prints when worker is removed from withIdentities: one error, on .build", () => {
    const broken = sample.replace(".withIdentities(worker, reader)", ".withIdentities(reader)").replaceAll("await ", "void ");
    const diagnostics = compile({ "readme-2.ts": `${broken}\nexport {};\n` }).get("readme-2.ts") ?? [];
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(`TS${d?.code}`).toBe(printed?.[2]);
    expect(d?.spanText).toBe("build");
    const quoted = /'CompileError<"(typed-batch: [^"]*)">'/.exec(printed?.[1] ?? "")?.[1];
    expect(d?.typeErrorText).toBe(quoted);
  });
});

describe("article-outcomes.md: rows 3 and 4", () => {
  const ids = `
const sub = "/subscriptions/6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55/resourceGroups/render/providers";
const storageAccountId = \`\${sub}/Microsoft.Storage/storageAccounts/renderstore\`;
const worker = userAssignedIdentity(\`\${sub}/Microsoft.ManagedIdentity/userAssignedIdentities/worker\`, "worker");
const other = userAssignedIdentity(\`\${sub}/Microsoft.ManagedIdentity/userAssignedIdentities/other\`, "other");
const withRef = batchAccount("acct", { location: "westeurope" }).withSystemAssignedIdentity()
  .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker }).build();
const noRef = batchAccount("acct", { location: "westeurope" }).withSystemAssignedIdentity()
  .withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity" }).build();
`;
  const head = `import { batchAccount, job, pool, resourceFile, task, userAssignedIdentity } from "typed-batch";\n${ids}`;
  const packages = (account: string, identity: string) =>
    `${head}export const p = pool("render", ${account})\n  .withIdentities(${identity})\n  .withApplicationPackages({ id: "ffmpeg", version: "6.1" })\n  .build(); // BUILD\n`;
  const files = (account: string, identity: string) =>
    `${head}const files = pool("files", ${account}).withIdentities(${identity}).build();\nexport const t = task("t", job("j", files).build())\n  .withCommandLine("x")\n  .withResourceFile(resourceFile.fromAutoStorageContainer("inputs")) // ARG\n  .build();\n`;
  const cases = {
    "packages-3.ts": packages("noRef", "worker"),
    "packages-4.ts": packages("withRef", "other"),
    "files-3.ts": files("noRef", "worker"),
    "files-4.ts": files("withRef", "other"),
  };
  const compiled = compile(cases);
  const one = (name: keyof typeof cases) => {
    const diagnostics = compiled.get(name) ?? [];
    expect(diagnostics).toHaveLength(1);
    return diagnostics[0];
  };

  test("application packages: TS2349 on .build, as the table says", () => {
    for (const name of ["packages-3.ts", "packages-4.ts"] as const) {
      const d = one(name);
      expect([d?.code, d?.line, d?.spanText]).toEqual([2349, lineOf(cases[name], "// BUILD"), "build"]);
    }
    expect(one("packages-3.ts")?.typeErrorText).toContain("has no node identity reference");
    expect(one("packages-4.ts")?.typeErrorText).toContain("node identity reference 'worker' is not attached to pool 'render'");
    expect(outcomes.match(/TS2349 on `\.build`/g)).toHaveLength(2);
  });

  test("resource files: TS2345 on the argument of withResourceFile, as the table says", () => {
    for (const name of ["files-3.ts", "files-4.ts"] as const) {
      const d = one(name);
      expect([d?.code, d?.line, d?.spanText.startsWith("resourceFile.fromAutoStorageContainer")]).toEqual([2345, lineOf(cases[name], "// ARG"), true]);
    }
    expect(outcomes.match(/TS2345 on the argument of `withResourceFile\(\.\.\.\)`/g)).toHaveLength(2);
  });
});
