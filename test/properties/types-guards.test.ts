// Types = guards: random configurations written as typed-batch builder programs, compiled in ONE
// TypeScript program, and checked by the guards as SDK JSON. Compared per resource (account, pool,
// job, each task) and per finding code: both refuse the same resources, and every code the compiler
// reports on a resource's statement is a code the guards report for that resource (a chain stops at
// its first error; the guards list them all). Ids are spelled in other letter cases in the programs
// too, identities have labelled and literal-id handles (both for one identity, at different sites)
// and two labels (one id under both, at different sites), one label is given to two ids (on the
// account too), and a label outside the pool's and the account's is given to two ids used by one
// resource (a conflict of its own uses) or by two resources (none). Then a mutation check: copies of the
// engine, each without one of the rules of src/rules/check.ts (types-guards-mutants.ts), must each
// fail the comparison somewhere (a rule whose loss nobody notices is not tested); the few rules no
// builder program can express (shapes, malformed ids, JSON-only sites) must each be noticed by the
// check corpus's pinned findings or a JavaScript caller's direct call instead: all of check.ts's
// rules are killed.
// TYPE_PROGRAMS (default 500) and PROPERTY_SEED.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { messages } from "../../src/rules/messages.js";
import type { FindingCode } from "../../src/rules/codes.js";
import { compile, type Diagnostic } from "../rules/compiler.js";
import { configArb, guardVerdict, ownResources, toBuilderSource, toJson, type GuardVerdict, type Guards, type World } from "./model.js";
import { loadMutants } from "./types-guards-mutants.js";
import { corpusCases, essentials } from "../diagnose/corpus.js";
import { parseJsonText } from "../../src/diagnose/json-text.js";

/**
 * Rules of check.ts that no builder program can break, so types = guards cannot exercise them; each
 * is refused before a builder program has JSON (the compiler's own errors) or has no builder form:
 * - INVALID_SHAPE: the builders build the shapes; a wrong one does not type-check at all;
 * - INVALID_RESOURCE_ID: a malformed id is refused where the handle is made (userAssignedIdentity), not in a resource;
 * - ACCOUNT_USER_IDENTITY_MISSING_IDS: withUserAssignedIdentities takes at least one identity (by its parameter type);
 * - ACCOUNT_ENCRYPTION_KEY_REQUIRED: withCustomerManagedKey requires keyIdentifier (by its parameter type);
 * - POOL_IDENTITY_TYPE_UNSUPPORTED: withIdentities takes user-assigned handles only;
 * - POOL_DISK_ENCRYPTION_IDENTITY_REQUIRED: disk encryption keys are JSON input only (not in @azure/arm-batch 9.1).
 * Their run-time behaviour is tested on JSON in test/rules and test/properties/guard-behaviour.
 */
const builderless = ["INVALID_SHAPE", "INVALID_RESOURCE_ID", "ACCOUNT_USER_IDENTITY_MISSING_IDS", "ACCOUNT_ENCRYPTION_KEY_REQUIRED", "POOL_IDENTITY_TYPE_UNSUPPORTED", "POOL_DISK_ENCRYPTION_IDENTITY_REQUIRED"];

const count = Number(process.env.TYPE_PROGRAMS ?? 500);
const seed = Number(process.env.PROPERTY_SEED ?? 20_240_917);
const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
const world: World = {
  ids: [0, 1, 2].map((i) => `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id${i}`) as unknown as World["ids"],
  storageAccountId: `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/renderstore`,
  containerUrl: "https://renderstore.blob.core.windows.net/inputs",
  blobUrl: "https://renderstore.blob.core.windows.net/inputs/scene/frame.txt",
  outputUrl: "https://renderstore.blob.core.windows.net/outputs",
  mountAccount: "renderstore",
  mountContainer: "data",
  registryServer: "renderreg.azurecr.io",
  location: "westeurope",
  autoContainer: "inputs",
};

/** A message template of messages.ts as a pattern: its arguments become wildcards. */
function pattern(text: string): RegExp {
  const hole = "\u0000";
  return new RegExp(`^typed-batch: ${text.split(hole).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*?")};`);
}
const h = "\u0000";
/** The finding code of a compile-time text, read from the messages themselves. */
const compileCodes: readonly [FindingCode, RegExp][] = [
  ["NODE_IDENTITY_NOT_IN_POOL", pattern(messages.nodeIdentityNotInPool(h, h))],
  ["NODE_IDENTITY_REFERENCE_MISSING", pattern(messages.nodeIdentityReferenceMissing(h, h))],
  ["IDENTITY_NOT_IN_POOL", pattern(messages.identityNotInPool(h, h))],
  ["AUTO_POOL_IDENTITY_REFERENCE", pattern(messages.autoPoolIdentityReference(h, h))],
  ["ACCOUNT_IDENTITY_REQUIRED", pattern(messages.accountIdentityRequired(h))],
  ["ACCOUNT_ENCRYPTION_IDENTITY_REQUIRED", pattern(messages.accountEncryptionIdentityRequired(h))],
  ["MOUNT_CREDENTIALS", pattern(messages.mountCredentials(0).replace("0", h))],
  ["IDENTITY_LABEL_CONFLICT", pattern(messages.identityLabelConflict(h, h, h))],
];

const library = await import("typed-batch");

/**
 * The builders' own run-time verdict on one program: its statements run one by one, and the
 * first that throws a `TypedBatchError` gives its codes (the later ones depend on it). One label
 * given to two ids is refused only here (`IDENTITY_LABEL_CONFLICT`, from the handles, which the
 * JSON does not carry), so these codes join the guards' side.
 */
function runBuilders(source: string, n: number): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const stop = new Error("stop");
  const statement = /^( {2}const (account|render|frames|schedule|task\d+) = )(.*);$/;
  const wrapped = source
    .split("\n")
    .filter((line) => !line.startsWith("import "))
    .map((line) => {
      const m = statement.exec(line);
      return m ? `${m[1]}__run(${JSON.stringify(m[2])}, () => ${m[3]});` : line;
    })
    .join("\n")
    .replace(/^export function/m, "function");
  const js = ts.transpileModule(wrapped, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None } }).outputText;
  const run = (name: string, f: () => unknown) => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof library.TypedBatchError)) throw e;
      const resource = name === "render" ? "pool" : name === "frames" ? "job" : name;
      out.set(resource, new Set(e.issues.filter((i) => i.severity === "error").map((i) => i.code)));
      throw stop;
    }
  };
  const names = ["autoPool", "batchAccount", "job", "jobSchedule", "outputFile", "pool", "resourceFile", "task", "userAssignedIdentity"] as const;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the generated program, compiled by the test itself
  const program = new Function("__lib", "__run", `const { ${names.join(", ")} } = __lib;\n${js}\nreturn program${n};`)(library, run) as () => unknown;
  try {
    program();
  } catch (e) {
    if (e !== stop) throw e;
  }
  return out;
}

function codeOf(text: string): string {
  return compileCodes.find(([, re]) => re.test(text))?.[0] ?? `UNKNOWN: ${text.slice(0, 120)}`;
}

/** Resource names in statement order: the program has one statement per resource. */
function resourcesOf(verdict: GuardVerdict): string[] {
  return ["account", "pool", "job", ...(verdict.schedule ? ["schedule"] : []), ...verdict.tasks.map((_, i) => `task${i}`)];
}

function statementLines(source: string): Map<string, number> {
  const lines = source.split("\n");
  const map = new Map<string, number>();
  lines.forEach((line, i) => {
    const m = /^ {2}const (account|render|frames|schedule|task\d+) = /.exec(line);
    if (m) map.set(m[1] === "render" ? "pool" : m[1] === "frames" ? "job" : (m[1] as string), i + 1);
  });
  return map;
}

/** Compile-time codes per resource: a diagnostic belongs to the statement it sits in. */
function compiledByResource(source: string, diagnostics: readonly Diagnostic[]): Map<string, Set<string>> {
  const starts = [...statementLines(source).entries()].sort((a, b) => a[1] - b[1]);
  const out = new Map<string, Set<string>>();
  for (const d of diagnostics) {
    const owner = [...starts].reverse().find(([, line]) => line <= d.line)?.[0] ?? "handles";
    const set = out.get(owner) ?? new Set<string>();
    for (const text of d.typeErrorTexts.length > 0 ? d.typeErrorTexts : [d.text]) set.add(codeOf(text));
    out.set(owner, set);
  }
  return out;
}

function guardByResource(verdict: GuardVerdict): Map<string, Set<string>> {
  const codes = (list: readonly string[]) => new Set(list.map((c) => c.split("@")[0] as string));
  const out = new Map<string, Set<string>>([["account", codes(verdict.account)], ["pool", codes(verdict.pool)], ["job", codes(verdict.job)]]);
  if (verdict.schedule) out.set("schedule", codes(verdict.schedule));
  verdict.tasks.forEach((t, i) => out.set(`task${i}`, codes(t)));
  return out;
}

/**
 * Whether a program uses a labelled handle (`id<i>...`) and a literal-id handle (`lit<i>...`) of the
 * same identity, at two sites (declarations aside; `lit<i>` exists for mixed identities only).
 */
function mixedHandlesUsed(source: string): boolean {
  const uses = source.split("\n").filter((line) => !line.includes("= userAssignedIdentity(")).join("\n");
  return [0, 1, 2].some((i) => new RegExp(`[(\\s]id${i}(_lower|_upper)?[,)\\s]`).test(uses) && new RegExp(`[(\\s]lit${i}(_lower|_upper)?[,)\\s]`).test(uses));
}

/** Whether a program uses the handles of one identity under its two labels (`id<i>` and `m<i>`) at two sites. */
function twoLabelsUsed(source: string): boolean {
  const uses = source.split("\n").filter((line) => !line.includes("= userAssignedIdentity(")).join("\n");
  return [0, 1, 2].some((i) => new RegExp(`[(\\s]id${i}(_lower|_upper)?[,)\\s]`).test(uses) && new RegExp(`[(\\s]m${i}(_lower|_upper)?[,)\\s]`).test(uses));
}

interface Row {
  readonly n: number;
  readonly source: string;
  readonly verdict: GuardVerdict;
  readonly compiled: Map<string, Set<string>>;
  /** The label conflicts the builders refuse at run time, per resource. */
  readonly labelConflicts: Map<string, Set<string>>;
}

/**
 * Disagreements of one program, per resource and code. A resource is compared only while every
 * resource before it compiled: a statement whose type is an error leaves the later ones unchecked
 * by the compiler, while the guards still check them from the JSON.
 */
function disagreements(row: Row): string[] {
  const guard = guardByResource(row.verdict);
  for (const [resource, codes] of row.labelConflicts) for (const code of codes) guard.set(resource, new Set([...(guard.get(resource) ?? []), code]));
  const out: string[] = [];
  for (const resource of resourcesOf(row.verdict)) {
    const c = [...(row.compiled.get(resource) ?? [])].sort();
    const g = [...(guard.get(resource) ?? [])].sort();
    // A chained statement stops at its first error (the chain's type is then the error), while the
    // guards report every problem: the compiler's codes must all be the guards', and both must
    // refuse the same resources.
    if (c.length > 0 !== g.length > 0 || c.some((code) => !g.includes(code))) out.push(`${resource}: compiler [${c.join(", ")}] guards [${g.join(", ")}]`);
    if (c.length > 0) break;
  }
  return out;
}

/** The compile-time codes of the resources compared (up to the first that does not compile). */
function comparedCodes(r: Row): string[] {
  const out: string[] = [];
  for (const resource of resourcesOf(r.verdict)) {
    const set = r.compiled.get(resource) ?? new Set<string>();
    out.push(...set);
    if (set.size > 0) break;
  }
  return out;
}

describe("types = guards", () => {
  const configs = fc.sample(configArb({ jsonOnly: false, wide: true }), { seed, numRuns: count });
  const files = Object.fromEntries(configs.map((cfg, n) => [`generated/program${n}.ts`, toBuilderSource(cfg, world, n)]));
  let rows: Row[] = [];
  const ownOf = (r: Row) => {
    const own = configs[r.n]?.own;
    return own && ownResources(own);
  };
  /** The first resource the compiler refuses (the comparison stops there). */
  const firstRefused = (r: Row) => resourcesOf(r.verdict).find((x) => (r.compiled.get(x)?.size ?? 0) > 0);
  let ms = 0;
  const jsonOf = (n: number) => toJson(configs[n] as (typeof configs)[number], world, { pool: `render${n}`, job: `frames${n}` });

  test(`${count} generated builder programs: per resource, the same refusals and the compiler's codes among the guards' (one compiler program, seed ${seed})`, () => {
    const t0 = performance.now();
    const diagnostics = compile(files);
    ms = performance.now() - t0;
    rows = configs.map((cfg, n) => {
      const source = files[`generated/program${n}.ts`] as string;
      const run = runBuilders(source, n);
      const labelConflicts = new Map([...run].map(([r, codes]) => [r, new Set([...codes].filter((c) => c === "IDENTITY_LABEL_CONFLICT"))] as const).filter(([, c]) => c.size > 0));
      return { n, source, verdict: guardVerdict(jsonOf(n)), labelConflicts, compiled: compiledByResource(source, diagnostics.get(`generated/program${n}.ts`) ?? []) };
    });
    const bad = rows.map((r) => ({ r, d: disagreements(r) })).filter((x) => x.d.length > 0);
    const refused = rows.filter((r) => [...r.compiled.values()].some((s) => s.size > 0)).length;
    const caseVariants = rows.filter((r) => /\b(id|lit|m)\d_(lower|upper)\b(?! =)/.test(r.source)).length;
    const codes = new Map<string, number>();
    for (const r of rows) for (const c of comparedCodes(r)) codes.set(c, (codes.get(c) ?? 0) + 1);
    const sites = {
      schedules: configs.filter((c) => c.schedule !== undefined).length,
      schedulesRefused: rows.filter((r) => (r.compiled.get("schedule")?.size ?? 0) > 0).length,
      multiInstance: configs.filter((c) => c.tasks.some((t) => t.common !== undefined)).length,
      multiInstanceRefused: rows.filter((r) => /commonResourceFiles/.test(r.source) && r.verdict.tasks.flat().some((c) => c.includes("multiInstanceSettings"))).length,
      autoPoolJobs: configs.filter((c) => c.job.autoPool === true).length,
      customerManagedKeys: configs.filter((c) => c.account.cmk === true).length,
      labelledHandles: configs.filter((c) => c.handles?.some((m) => m !== "literal")).length,
      mixedHandles: rows.filter((r) => mixedHandlesUsed(r.source)).length,
      oneLabelTwoIds: configs.filter((c) => c.rogue !== undefined).length,
      accountRogues: configs.filter((c) => c.rogue?.at !== undefined).length,
      twoLabelsOneId: rows.filter((r) => twoLabelsUsed(r.source)).length,
      ownUseConflicts: rows.filter((r) => ownOf(r) !== undefined && ownOf(r)?.first === ownOf(r)?.second).length,
      // Those whose resource was compared (every resource before it compiled) and refused by the compiler with the label conflict.
      ownUseConflictsCompiled: rows.filter((r) => {
        const own = ownOf(r);
        return own !== undefined && own.first === own.second && firstRefused(r) === own.first && r.compiled.get(own.first)?.has("IDENTITY_LABEL_CONFLICT") === true;
      }).length,
      ownUsesInTwoResources: rows.filter((r) => ownOf(r) !== undefined && ownOf(r)?.first !== ownOf(r)?.second).length,
      // Those whose second resource was compared and compiled without a label conflict (every resource before it compiled).
      ownUsesInTwoResourcesCompared: rows.filter((r) => {
        const own = ownOf(r);
        if (own === undefined || own.first === own.second) return false;
        const order = resourcesOf(r.verdict);
        const first = firstRefused(r);
        return (first === undefined || order.indexOf(first) >= order.indexOf(own.second)) && r.compiled.get(own.second)?.has("IDENTITY_LABEL_CONFLICT") !== true;
      }).length,
      labelConflictsAtRunTime: rows.filter((r) => r.labelConflicts.size > 0).length,
      labelConflictsCompiled: rows.filter((r) => [...r.compiled.values()].some((set) => set.has("IDENTITY_LABEL_CONFLICT"))).length,
    };
    console.log(`types = guards: sites and settings generated: ${JSON.stringify(sites)}`);
    const ownSites = new Map<string, number>();
    for (const c of configs) if (c.own) ownSites.set(c.own.at, (ownSites.get(c.own.at) ?? 0) + 1);
    console.log(`types = guards: where one label's two ids are used (Config.own): ${JSON.stringify(Object.fromEntries([...ownSites].sort()))}`);
    console.log(`types = guards: ${rows.length} programs compiled in ${(ms / 1000).toFixed(1)} s; ${refused} with compile errors, ${caseVariants} using ids in another letter case; codes seen: ${JSON.stringify(Object.fromEntries(codes))}; ${bad.length} disagreements`);
    for (const { r, d } of bad.slice(0, 3)) console.log(`program${r.n}: ${d.join("; ")}\n${r.source}`);
    for (const r of rows) expect([...(r.compiled.get("handles") ?? [])], `program${r.n}: a generator slip`).toEqual([]);
    // Every diagnostic, compared or not, is a typed-batch rule's (no cascade after an upstream error).
    for (const r of rows) for (const set of r.compiled.values()) for (const c of set) expect(c, `program${r.n}`).not.toMatch(/^UNKNOWN/);
    expect(bad.map((x) => x.r.n)).toEqual([]);
    expect(refused).toBeGreaterThan(count * 0.2);
    expect(rows.length - refused).toBeGreaterThan(count * 0.2);
    expect(caseVariants).toBeGreaterThan(count * 0.2);
    for (const [what, n] of Object.entries(sites)) expect(n, `${what}: too few to compare`).toBeGreaterThan(count * 0.02);
  }, 300_000);

  test("mutation check: a copy of the engine without any one of its rules (each out.push(finding(...)) of check.ts) fails the comparison", async () => {
    expect(rows.length).toBe(count);
    const t0 = performance.now();
    const { original, mutants } = await loadMutants();
    // The unmutated copy agrees with the library: a difference below is the mutation's, not the copy's.
    for (const r of rows) expect(guardVerdict(jsonOf(r.n), original), `program${r.n}: the unmutated copy`).toEqual(r.verdict);
    const exercised = new Set<string>();
    for (const r of rows) for (const set of guardByResource(r.verdict).values()) for (const c of set) exercised.add(c);
    const lines: string[] = [];
    const survivors: string[] = [];
    let killed = 0;
    for (const { site, guards } of mutants) {
      const caught = rows.filter((r) => disagreements({ ...r, verdict: guardVerdict(jsonOf(r.n), guards) }).length > 0).length;
      const name = `${site.code} (check.ts:${site.line}, ${site.where})`;
      if (caught > 0) killed++;
      else survivors.push(name);
      lines.push(`${caught > 0 ? "killed " : "SURVIVED"} ${name}: ${caught} of ${rows.length} programs disagree`);
    }
    console.log(`mutants of src/rules/check.ts: ${killed} of ${mutants.length} killed in ${((performance.now() - t0) / 1000).toFixed(1)} s\n${lines.join("\n")}`);
    // Every rule the builder programs can express is killed; the others are listed in builderless (with why).
    const expected = survivors.filter((name) => !builderless.some((code) => name.startsWith(`${code} `)));
    expect(expected, "mutants no program notices").toEqual([]);
    for (const code of builderless) expect(exercised.has(code), `${code} is listed as not expressible with the builders, but a program produced it`).toBe(false);
    expect(killed).toBeGreaterThanOrEqual(mutants.length - mutants.filter((m) => builderless.includes(m.site.code)).length);
    // What no builder program can express is JSON's: the check corpus (bundles with pinned expected
    // findings, written apart from the engine) must notice each remaining mutant through `diagnose`.
    const corpus = corpusCases().map((c) => {
      const parsed = parseJsonText(readFileSync(c.file, "utf8"));
      if (!parsed.ok) throw new Error(`${c.name} does not parse`);
      return { name: c.name, bundle: parsed.value, findings: c.findings };
    });
    const notCaught: string[] = [];
    const corpusLines: string[] = [];
    // A JavaScript caller's values that no bundle can carry (the document reader refuses them first).
    const direct = [{ name: "validateAccount(\"x\")", run: (g: Guards) => g.validateAccount("x", { name: "acct" }), findings: [{ severity: "error", code: "INVALID_SHAPE", path: "" }] }];
    for (const d of direct) expect(d.run(original).issues.map(essentials), `${d.name} on the unmutated copy`).toEqual(d.findings);
    for (const { site, diagnose, guards } of mutants.filter((m) => builderless.includes(m.site.code))) {
      const noticed = [
        ...corpus.filter((c) => JSON.stringify(diagnose(c.bundle).map(essentials)) !== JSON.stringify(c.findings)).map((c) => c.name),
        ...direct.filter((d) => JSON.stringify(d.run(guards).issues.map(essentials)) !== JSON.stringify(d.findings)).map((d) => d.name),
      ];
      const name = `${site.code} (check.ts:${site.line}, ${site.where})`;
      corpusLines.push(`${noticed.length > 0 ? "killed " : "SURVIVED"} ${name}: ${noticed.length > 0 ? `by ${noticed.join(", ")}` : "no corpus bundle notices"}`);
      if (noticed.length === 0) notCaught.push(name);
    }
    console.log(`the mutants builder programs cannot express, against the check corpus (${corpus.length} bundles):\n${corpusLines.join("\n")}`);
    expect(notCaught, "mutants neither the programs nor the check corpus notice").toEqual([]);
  }, 300_000);
});
