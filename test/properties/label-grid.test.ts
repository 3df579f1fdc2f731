// Ids and labels, exhaustively over small grids (the random generator of types-guards.test.ts
// samples the same space): every program below is compiled (one TypeScript program) and run (the
// builders' own guards), and it must compile exactly when it runs without a TypedBatchError.
//   1. One identity, two handles: attached with one handle form and used with another (literal id,
//      the id in another letter case, under a label, under another label), at every kind of use;
//      uses of another identity, by id or under the same label, are the controls that must fail.
//   2. One label, two ids: `s` on alpha at one place and `s` on beta at another, both ids also
//      attached to the pool by id, for every ordered pair of places (account, pool, job, task, node).
import ts from "typescript";
import { describe, expect, test } from "vitest";
import { compile } from "../rules/compiler.js";

const sub = "6e5a4c1b-2f0d-4b9e-9c1a-3d2f1e0b7a55";
const idOf = (name: string) => `/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`;
const alphaUpper = idOf("alpha").toUpperCase();

const prelude = [
  `const alphaId = ${JSON.stringify(idOf("alpha"))};`,
  `const betaId = ${JSON.stringify(idOf("beta"))};`,
  `const worker = userAssignedIdentity(${JSON.stringify(idOf("worker"))});`,
  `const alpha = userAssignedIdentity(alphaId);`,
  `const beta = userAssignedIdentity(betaId);`,
  `const storageAccountId = "/subscriptions/${sub}/resourceGroups/render/providers/Microsoft.Storage/storageAccounts/renderstore";`,
  `const url = "https://renderstore.blob.core.windows.net/setup";`,
  `const account = batchAccount("acct", { location: "westeurope" }).build();`,
];

/** Handle forms of alpha. */
const forms: Record<string, string> = {
  lit: `userAssignedIdentity(alphaId)`,
  up: `userAssignedIdentity(${JSON.stringify(alphaUpper)})`,
  s: `userAssignedIdentity(alphaId, "s")`,
  sUp: `userAssignedIdentity(${JSON.stringify(alphaUpper)}, "s")`,
  t: `userAssignedIdentity(alphaId, "t")`,
};

const nodeAccount = (node: string) =>
  `batchAccount("n", { location: "westeurope" }).withSystemAssignedIdentity().withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: ${node} }).build()`;

/** Where a use of alpha can be, given the handle that attaches it (`a`) and the one that uses it (`u`). */
const uses: Record<string, (a: string, u: string) => string> = {
  poolUseBefore: (a, u) => `return pool("p", account).withContainerRegistry({ registryServer: "r.azurecr.io", identity: ${u} }).withIdentities(worker, ${a}).build();`,
  poolUseAfter: (a, u) => `return pool("p", account).withIdentities(worker, ${a}).withBlobMount({ accountName: "st", containerName: "c", relativeMountPath: "m", identity: ${u} }).build();`,
  poolStartTask: (a, u) => `return pool("p", account).withIdentities(worker, ${a}).withStartTask({ commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: ${u} })] }).build();`,
  task: (a, u) => `const p = pool("p", account).withIdentities(worker, ${a}).build(); return task("t", job("j", p).build()).withCommandLine("x").withResourceFile(resourceFile.fromContainerUrl(url, { identity: ${u} })).build();`,
  taskOutput: (a, u) => `const p = pool("p", account).withIdentities(worker, ${a}).build(); return task("t", job("j", p).build()).withCommandLine("x").withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: ${u} })).build();`,
  jobManager: (a, u) => `const p = pool("p", account).withIdentities(worker, ${a}).build(); return job("j", p).withManagerTask({ id: "m", commandLine: "x", resourceFiles: [resourceFile.fromContainerUrl(url, { identity: ${u} })] }).build();`,
  schedule: (a, u) => `const p = pool("p", account).withIdentities(worker, ${a}).build(); return jobSchedule("s", p).withPreparationTask({ commandLine: "x", containerSettings: { imageName: "i", registry: { identity: ${u} } } }).build();`,
  node: (a, u) => `const p = pool("p", account).withIdentities(worker, ${a}).build(); return nodeCredential(p, ${u});`,
  nodeIdentityPackages: (a, u) => `return pool("p", ${nodeAccount(u)}).withIdentities(${a}).withApplicationPackages({ id: "f" }).build();`,
  nodeIdentityAutoStorageFile: (a, u) => `const p = pool("p", ${nodeAccount(u)}).withIdentities(${a}).build(); return task("t", job("j", p).build()).withCommandLine("x").withResourceFile(resourceFile.fromAutoStorageContainer("in")).build();`,
};

/** Places for one label on one id (`h`), in a program where the pool has alpha and beta by id. */
type Slots = Partial<Record<"acctId" | "acctNode" | "poolAttach" | "poolUseBefore" | "poolUseAfter" | "poolStart" | "task" | "taskOutput" | "jobManager" | "jobPreparation" | "node", string>>;
const places: readonly (keyof Slots)[] = ["acctId", "acctNode", "poolAttach", "poolUseBefore", "poolUseAfter", "poolStart", "task", "taskOutput", "jobManager", "jobPreparation", "node"];

function twoIdsProgram(at: Slots): string {
  const file = (h: string) => `resourceFile.fromContainerUrl(url, { identity: ${h} })`;
  let acct = `batchAccount("a", { location: "westeurope" }).withUserAssignedIdentities(worker${at.acctId ? `, ${at.acctId}` : ""})`;
  acct += `.withAutoStorage({ storageAccountId, authenticationMode: "BatchAccountManagedIdentity", nodeIdentity: ${at.acctNode ?? "worker"} })`;
  let pl = `pool("p", acc)`;
  if (at.poolUseBefore) pl += `.withContainerRegistry({ registryServer: "r.azurecr.io", identity: ${at.poolUseBefore} })`;
  pl += `.withIdentities(worker, alpha, beta${at.poolAttach ? `, ${at.poolAttach}` : ""})`;
  if (at.poolUseAfter) pl += `.withBlobMount({ accountName: "st", containerName: "c", relativeMountPath: "m", identity: ${at.poolUseAfter} })`;
  if (at.poolStart) pl += `.withStartTask({ commandLine: "x", resourceFiles: [${file(at.poolStart)}] })`;
  let jb = `job("j", p)`;
  if (at.jobManager) jb += `.withManagerTask({ id: "m", commandLine: "x", resourceFiles: [${file(at.jobManager)}] })`;
  if (at.jobPreparation) jb += `.withPreparationTask({ commandLine: "x", resourceFiles: [${file(at.jobPreparation)}] })`;
  let tk = `task("t", j).withCommandLine("x")`;
  if (at.task) tk += `.withResourceFile(${file(at.task)})`;
  if (at.taskOutput) tk += `.withOutputFile(outputFile.toContainer({ filePattern: "*", containerUrl: url, identity: ${at.taskOutput} }))`;
  const node = at.node ? `nodeCredential(p, ${at.node})` : "undefined";
  return `const acc = ${acct}.build(); const p = ${pl}.build(); const j = ${jb}.build(); const t = ${tk}.build(); return [t, ${node}];`;
}

interface Case {
  readonly name: string;
  readonly body: string;
}

/** Uses of beta, which no pool here has: refused (not attached, or `s` already names alpha). */
const controls: Record<string, string> = {
  beta: `userAssignedIdentity(betaId)`,
  sBeta: `userAssignedIdentity(betaId, "s")`,
};

const oneIdentity: Case[] = Object.entries(uses).flatMap(([site, make]) =>
  Object.entries(forms).flatMap(([af, a]) => Object.entries({ ...forms, ...controls }).map(([uf, u]) => ({ name: `${site}_${af}_${uf}`, body: make(a, u) }))),
);
const sX = `userAssignedIdentity(alphaId, "s")`;
const sY = `userAssignedIdentity(betaId, "s")`;
const twoIds: Case[] = places.flatMap((x) => places.filter((y) => y !== x).map((y) => ({ name: `${x}_then_${y}`, body: twoIdsProgram({ [x]: sX, [y]: sY }) })));

const names = ["batchAccount", "job", "jobSchedule", "nodeCredential", "outputFile", "pool", "resourceFile", "task", "userAssignedIdentity"] as const;
const library = await import("typed-batch");

/** The names of the cases the compiler refuses (a diagnostic on the case's line). */
function refusedByCompiler(cases: readonly Case[]): Set<string> {
  const lines = [`import { ${names.join(", ")} } from "typed-batch";`, ...prelude, ...cases.map((c) => `export function ${c.name}() { ${c.body} }`)];
  const file = "generated/label-grid.ts";
  const diagnostics = compile({ [file]: `${lines.join("\n")}\n` }).get(file) ?? [];
  const refused = new Set<string>();
  for (const d of diagnostics) {
    const name = /^export function (\w+)/.exec(lines[d.line - 1] ?? "")?.[1];
    if (name === undefined) throw new Error(`a diagnostic outside the cases: ${d.text}`);
    refused.add(name);
  }
  return refused;
}

/** The code a case's run throws, or "ok". */
function runs(cases: readonly Case[]): Map<string, string> {
  const js = ts.transpileModule(`${prelude.join("\n")}\n${cases.map((c) => `__cases.${c.name} = () => { ${c.body} };`).join("\n")}`, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.None },
  }).outputText;
  const table: Record<string, () => unknown> = {};
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the generated cases, compiled by the test itself
  new Function("__lib", "__cases", `const { ${names.join(", ")} } = __lib;\n${js}`)(library, table);
  return new Map(
    cases.map((c) => {
      try {
        table[c.name]?.();
        return [c.name, "ok"];
      } catch (e) {
        if (!(e instanceof library.TypedBatchError)) throw e;
        return [c.name, e.code];
      }
    }),
  );
}

describe.each([
  { grid: "one identity, two handles", cases: oneIdentity },
  { grid: "one label, two ids", cases: twoIds },
])("$grid", ({ cases }) => {
  test(`every program compiles exactly when the builders accept it (${cases.length} programs)`, () => {
    const refused = refusedByCompiler(cases);
    const outcome = runs(cases);
    const disagreements = cases.filter((c) => refused.has(c.name) === (outcome.get(c.name) === "ok")).map((c) => `${c.name}: compiler ${refused.has(c.name) ? "refuses" : "accepts"}, run ${outcome.get(c.name)}`);
    expect(disagreements).toEqual([]);
    // Both outcomes occur, so the comparison can fail either way.
    expect(refused.size).toBeGreaterThan(0);
    expect(cases.length - refused.size).toBeGreaterThan(0);
  }, 120_000);
});
