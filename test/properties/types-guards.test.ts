// Types = guards: random configurations written as typed-batch builder programs, compiled in ONE
// TypeScript program, and checked by the guards as SDK JSON. For every program, "the compiler reports
// an error" equals "a guard refuses the configuration". TYPE_PROGRAMS (default 240) and PROPERTY_SEED.
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compile } from "../rules/compiler.js";
import { accepted, configArb, guardVerdict, toBuilderSource, toJson, type World } from "./model.js";

const count = Number(process.env.TYPE_PROGRAMS ?? 240);
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

describe("types = guards", () => {
  test(`${count} generated builder programs: compile error ⇔ guard refusal (one compiler program, seed ${seed})`, () => {
    const configs = fc.sample(configArb({ jsonOnly: false }), { seed, numRuns: count });
    const files = Object.fromEntries(configs.map((cfg, n) => [`generated/program${n}.ts`, toBuilderSource(cfg, world, n)]));
    const t0 = performance.now();
    const diagnostics = compile(files);
    const ms = performance.now() - t0;
    const rows = configs.map((cfg, n) => {
      const verdict = guardVerdict(toJson(cfg, world, { pool: `render${n}`, job: `frames${n}` }));
      const compiled = diagnostics.get(`generated/program${n}.ts`) ?? [];
      return { n, guardRefuses: !accepted(verdict), compilerRefuses: compiled.length > 0, verdict, compiled };
    });
    const disagreements = rows.filter((r) => r.guardRefuses !== r.compilerRefuses);
    const refusedByBoth = rows.filter((r) => r.guardRefuses && r.compilerRefuses).length;
    console.log(`types = guards: ${rows.length} programs compiled in ${(ms / 1000).toFixed(1)} s; ${refusedByBoth} refused by both, ${rows.length - refusedByBoth - disagreements.length} accepted by both, ${disagreements.length} disagreements`);
    for (const d of disagreements.slice(0, 5)) {
      console.log(`program${d.n}: guard ${JSON.stringify(d.verdict)}; compiler ${JSON.stringify(d.compiled.map((c) => `${c.line}:${c.column} TS${c.code} ${c.text.slice(0, 300)}`))}\n${files[`generated/program${d.n}.ts`]}`);
    }
    // The only diagnostics are typed-batch's own checks, never a generator slip (a type error in the program itself).
    for (const r of rows) for (const d of r.compiled) expect(d.typeErrorTexts.length, `program${r.n}: ${d.text.slice(0, 400)}`).toBeGreaterThan(0);
    expect(disagreements.map((d) => d.n)).toEqual([]);
    expect(refusedByBoth).toBeGreaterThan(count * 0.2);
    expect(rows.length - refusedByBoth).toBeGreaterThan(count * 0.2);
  }, 300_000);
});
