import { displayKey } from "../../src/identity/display-key.js";
/**
 * The compile-time half of each rule, through the TypeScript compiler API: the diagnostic names
 * the offending identity (its key or label), carries the builder-voice fix, is a sentence rather
 * than "not assignable to type 'never'", and starts exactly at the offending argument.
 *
 * One program, one diagnostic pass: `fixtures/cases.ts` holds every case (see its header).
 */
import { describe, expect, test } from "vitest";
import { fixes } from "../../src/rules/messages.js";
import { compiledCase, compiledCases, compileOne, type Diagnostic } from "./compiler.js";
import { ruleCases } from "./expectations.js";
import { workerId } from "./fixtures/cases.js";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const at = (d: { line: number; column: number }) => `${d.line}:${d.column}`;

describe("the case file", () => {
  test("its shared setup (identities, accounts, pools, jobs) compiles", () => {
    expect(compiledCases().outside.map((d) => `${at(d)} ${d.text}`)).toEqual([]);
  });

  test("every case function has an expectation and marks at least one diagnostic", () => {
    const names = [...compiledCases().cases.keys()];
    expect(names.sort()).toEqual(ruleCases.map((c) => c.name).sort());
    for (const name of names) expect(compiledCase(name).expected.length, name).toBeGreaterThan(0);
  });
});

describe.each(ruleCases)("$rule ($name)", (rule) => {
  const compiled = compiledCase(rule.name);

  test("each diagnostic starts exactly at a marked argument, and every mark gets one", () => {
    const found = compiled.diagnostics.map(at).sort();
    const expected = compiled.expected.map(at).sort();
    expect(found, compiled.diagnostics.map((d) => `${at(d)} TS${d.code}: ${d.text.split("\n")[0]}`).join("\n")).toEqual(expected);
  });

  if (rule.kind === "typed-batch") {
    test("each diagnostic quotes a typed-batch sentence, not a bare 'never'", () => {
      for (const d of compiled.diagnostics) {
        expect(d.typeErrorText, d.text).toMatch(/^typed-batch: /);
        expect(d.text).not.toMatch(/not assignable to (parameter of )?type 'never'\.?$/);
        expect(d.typeErrorText).not.toContain("${string}");
        expect(d.typeErrorText).not.toContain("${any}");
      }
    });

    test("it names the offending identity (key or label) and what it is checked against", () => {
      const texts = compiled.diagnostics.map((d) => d.typeErrorTexts.join("\n")).join("\n");
      for (const name of rule.names) expect(texts, texts).toContain(name);
    });

    if (rule.fix !== undefined) {
      const fix = rule.fix;
      test("it carries the builder-voice fix", () => {
        expect(compiled.diagnostics.some((d) => d.typeErrorText?.endsWith(`; fix: ${fix}`)), compiled.diagnostics.map((d) => d.text).join("\n")).toBe(true);
      });
    }
  } else {
    test("TypeScript's own error names the offending property", () => {
      const texts = compiled.diagnostics.map((d) => d.text).join("\n");
      for (const name of rule.names) expect(texts).toContain(name);
    });
  }
});

describe("where the error lands", () => {
  test("an identity use inside an option bag is reported on that property, not on the whole call", () => {
    const [d] = compiledCase("taskContainerRegistry").diagnostics as [Diagnostic];
    expect(d.spanText).toBe("identity");
  });

  test("a resource file with a foreign identity is reported on the file expression", () => {
    const [d] = compiledCase("taskContainerResourceFile").diagnostics as [Diagnostic];
    expect(d.spanText).toMatch(/^resourceFile\.fromContainerUrl\(url, \{ identity: stranger \}\)$/);
  });

  test("several mistakes in one task give one diagnostic each, in source order", () => {
    const lines = compiledCase("taskSeveralProblems").diagnostics.map((d) => d.line);
    expect(lines).toHaveLength(3);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
    expect(new Set(lines).size).toBe(3);
  });
});

describe("with the compiler's default settings (error truncation on)", () => {
  // What a user sees in `tsc` output and editor hovers: types longer than ~160 characters are cut.
  const source = `
import { batchAccount, job, pool, task, resourceFile, userAssignedIdentity } from "typed-batch";
const worker = userAssignedIdentity("${workerId}");
const reader = userAssignedIdentity(process.env.READER_ID ?? "", "reader");
const account = batchAccount("acct", { location: "westeurope" }).withSystemAssignedIdentity()
  .withAutoStorage({ storageAccountId: "/s", authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: worker }).build();
const readerOnly = pool("ro", account).withIdentities(reader).build();
task("t", job("j", readerOnly).build()).withResourceFile(resourceFile.fromAutoStorageContainer("inputs"));
task("t", job("j", readerOnly).build()).withResourceFile(resourceFile.fromContainerUrl("u", { identity: worker }));
`;
  const diagnostics = compileOne(source, { noErrorTruncation: false });

  test("a label-keyed identity's message is shown whole", () => {
    const labelled = source.replace("nodeIdentity: worker", "nodeIdentity: reader").replace('withIdentities(reader)', "withIdentities(worker)").replace(/^task.*fromContainerUrl.*$/m, "");
    const [d, ...rest] = compileOne(labelled, { noErrorTruncation: false });
    expect(rest).toEqual([]);
    expect(d?.text).toContain(`; fix: ${fixes.nodeIdentityNotInPool.builder("reader")}`);
  });

  test("a literal-id identity's message still shows the fix (article scenario 4 with api.md's own `worker`)", () => {
    expect(diagnostics).toHaveLength(2);
    const [autoStorage, containerUrl] = diagnostics as [Diagnostic, Diagnostic];
    expect(autoStorage.typeErrorText, autoStorage.text).toMatch(new RegExp(`; fix: ${escape(fixes.nodeIdentityNotInPool.builder(displayKey(workerId)))}$`));
    expect(containerUrl.typeErrorText, containerUrl.text).toMatch(new RegExp(`; fix: ${escape(fixes.identityNotInPool.builder(displayKey(workerId)))}$`));
  });
});

