// Guard = behaviour: for random accounts, pools, jobs and tasks over every identity-reference site,
// the guards' verdict (validate* over the SDK JSON that is sent) and what the emulator's model of
// Azure makes of the same JSON (created through the raw SDK clients) agree, layer by layer, and where
// both fail, the emulator's Azure code is one the site table's failure column gives for the site and
// cause the guard's finding names (src/rules/sites.ts, read by failure-codes.ts).
// NUM_RUNS (default 1,000) and PROPERTY_SEED set the run; `npm run property:100k` runs 100,000.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { setup, type Clients } from "../emulator/setup.js";
import { checkOne, compare, type Harness, type Outcome, worldFor } from "./behaviour.js";
import { isKnownAzureCode } from "../../src/azure/index.js";
import { ARM_REFUSALS, codeVerdict, expectedCodes } from "./failure-codes.js";
import { identitySites } from "../../src/rules/sites.js";
import { accepted, type Config, configArb, guardVerdict, toJson } from "./model.js";
import type { SiteOwner } from "../../src/rules/sites.js";

const numRuns = Number(process.env.NUM_RUNS ?? 1000);
const seed = Number(process.env.PROPERTY_SEED ?? 20_240_917);
/** Accounts per emulator before a fresh one is started (each account holds a data-plane listener). */
const recycleEvery = Number(process.env.RECYCLE_EVERY ?? 2000);

let c: Clients;
let h: Harness;
let runsOnEmulator = 0;

async function fresh(): Promise<void> {
  c = await setup({ seed });
  h = { em: c.em, arm: c.arm, batch: (a) => c.batch(a), world: worldFor(c.em) };
  runsOnEmulator = 0;
}

async function harness(): Promise<Harness> {
  if (runsOnEmulator++ >= recycleEvery) {
    await c.em.stop();
    await fresh();
    runsOnEmulator = 1;
  }
  return h;
}

beforeAll(fresh);
afterAll(async () => c.em.stop());

describe("guard = behaviour", () => {
  test(
    `${numRuns} random configurations: accepted ⇔ no identity failure in the emulator, layer by layer (seed ${seed})`,
    async () => {
      const stats = { runs: 0, accepted: 0, refused: 0, codes: new Map<string, number>(), outcomes: new Map<string, number>(), taskRuns: 0, codeLevel: new Map<string, number>() };
      const t0 = performance.now();
      await fc.assert(
        fc.asyncProperty(configArb({ jsonOnly: true }), async (cfg) => {
          const r = await checkOne(await harness(), cfg);
          stats.runs++;
          if (accepted(r.verdict)) stats.accepted++;
          else stats.refused++;
          for (const code of [r.verdict.account, r.verdict.pool, r.verdict.job, ...r.verdict.tasks].flat()) {
            const key = code.replace(/@.*/, "");
            stats.codes.set(key, (stats.codes.get(key) ?? 0) + 1);
          }
          for (const o of [r.outcome.account, r.outcome.pool, r.outcome.job, ...r.outcome.tasks]) {
            if (typeof o === "string") stats.outcomes.set(o.replace(/ [0-9a-f-]{20,}.*/, ""), (stats.outcomes.get(o) ?? 0) + 1);
          }
          stats.taskRuns += r.outcome.tasks.filter((t) => t !== undefined).length;
          const layers: Array<[SiteOwner, readonly string[], string | null | undefined]> = [
            ["account", r.verdict.account, r.outcome.account],
            ["pool", r.verdict.pool, r.outcome.pool],
            ["job", r.verdict.job, r.outcome.job],
            ...r.verdict.tasks.map((t, i): [SiteOwner, readonly string[], string | null | undefined] => ["task", t, r.outcome.tasks[i]]),
          ];
          for (const [owner, guard, emulator] of layers) {
            if (guard.length === 0 || typeof emulator !== "string") continue;
            const v = codeVerdict(owner, guard, emulator);
            stats.codeLevel.set(v, (stats.codeLevel.get(v) ?? 0) + 1);
          }
          if (r.disagreements.length > 0) throw new Error(`guard and emulator disagree on ${r.account}: ${JSON.stringify(r.disagreements)}\noutcome: ${JSON.stringify(r.outcome)}`);
        }),
        { seed, numRuns, endOnFailure: false },
      );
      const ms = performance.now() - t0;
      console.log(
        `guard = behaviour: ${stats.runs} runs in ${(ms / 1000).toFixed(1)} s (${stats.accepted} accepted, ${stats.refused} refused, ${stats.taskRuns} task outcomes observed)\n` +
          `code level (site table failure column vs emulator): ${JSON.stringify(Object.fromEntries(stats.codeLevel))}\n` +
          `guard codes: ${JSON.stringify(Object.fromEntries(stats.codes))}\nemulator outcomes: ${JSON.stringify(Object.fromEntries([...stats.outcomes].sort((a, b) => b[1] - a[1]).slice(0, 30)))}`,
      );
      // Not vacuous: both verdicts are common, every identity rule fires, and the emulator shows every kind of failure.
      expect(stats.accepted).toBeGreaterThan(numRuns * 0.1);
      expect(stats.refused).toBeGreaterThan(numRuns * 0.1);
      // The code-level comparison is not vacuous: it decides for most layers where both sides failed.
      expect(stats.codeLevel.get("match") ?? 0).toBeGreaterThan((stats.codeLevel.get("not comparable") ?? 0));
      if (numRuns >= 1000) {
        for (const code of ["INVALID_RESOURCE_ID", "IDENTITY_NOT_IN_POOL", "NODE_IDENTITY_NOT_IN_POOL", "NODE_IDENTITY_REFERENCE_MISSING", "ACCOUNT_IDENTITY_REQUIRED", "POOL_IDENTITY_TYPE_UNSUPPORTED"]) {
          expect(stats.codes.get(code), code).toBeGreaterThan(0);
        }
        const seen = [...stats.outcomes.keys()].join("\n");
        for (const o of ["ContainerInvalidImage", "ResourceContainerListMiscError", "ResourceContainerAccessDenied", "BlobDownloadMiscError", "FileUploadMiscError", "ApplicationPackageError", "MountConfigurationError", "node starting", "starttaskfailed", "AccountIdentityRequired", "preparation task: ContainerInvalidImage", "release task: "]) {
          expect(seen, o).toContain(o);
        }
      }
    },
    60_000 + numRuns * 500,
  );
});

describe("the comparison can fail", () => {
  const cfg: Config = {
    account: { identity: "SystemAssigned", identities: [], autoStorage: "BatchAccountManagedIdentity", nodeIdentity: 0 },
    pool: { identities: [1], systemAssigned: false, appPackages: false },
    job: {},
    tasks: [{ files: [{ kind: "auto" }], outputs: [], appPackages: false }],
  };

  test("a guard that accepted resource-files#4 would be caught (the emulator fails the task with ResourceContainerListMiscError)", async () => {
    const r = await checkOne(await harness(), cfg);
    expect(r.outcome.tasks).toEqual(["ResourceContainerListMiscError"]);
    expect(r.verdict.tasks[0]).toEqual(["NODE_IDENTITY_NOT_IN_POOL@resourceFiles[0]"]);
    expect(r.disagreements).toEqual([]);
    const lenient = { ...r.verdict, tasks: [[]] };
    expect(compare(lenient, r.outcome).map((d) => d.layer)).toEqual(["task t0"]);
  });

  test("a guard whose finding predicts another Azure code than the emulator shows would be caught (code level)", async () => {
    const r = await checkOne(await harness(), cfg);
    const wrongSite = { ...r.verdict, tasks: [["IDENTITY_NOT_IN_POOL@outputFiles[0].destination.container.identityReference"]] };
    expect(compare(wrongSite, r.outcome).map((d) => d.layer)).toEqual(["task t0 (code)"]);
  });

  test("every Azure code of the ARM refusals (what the site table cannot say) is in Azure's published list", () => {
    for (const rule of ARM_REFUSALS) for (const code of rule.azure) expect(isKnownAzureCode(code), code).toBe(true);
  });

  test("expected codes come from the site table's failure column, by site and cause", () => {
    expect(expectedCodes("task", "NODE_IDENTITY_NOT_IN_POOL@resourceFiles[0]")).toEqual(["ResourceContainerListMiscError"]);
    expect(expectedCodes("task", "NODE_IDENTITY_REFERENCE_MISSING@resourceFiles[0]")).toEqual(["ResourceContainerAccessDenied"]);
    expect(expectedCodes("task", "NODE_IDENTITY_REFERENCE_MISSING@applicationPackageReferences[0]")).toEqual(["ApplicationPackageError"]);
    expect(expectedCodes("task", "IDENTITY_NOT_IN_POOL@outputFiles[0].destination.container.identityReference")).toEqual(["FileUploadMiscError"]);
    expect(expectedCodes("pool", "NODE_IDENTITY_REFERENCE_MISSING@applicationPackages[0]")).toEqual(["TvmJoinPoolInProgress"]);
    expect(expectedCodes("pool", "IDENTITY_NOT_IN_POOL@mountConfiguration[0].azureBlobFileSystemConfiguration.identityReference")).toEqual(["MountConfigurationError"]);
    expect(expectedCodes("job", "IDENTITY_NOT_IN_POOL@jobPreparationTask.containerSettings.registry.identityReference")).toEqual(["ContainerInvalidImage"]);
    expect(expectedCodes("pool", "INVALID_RESOURCE_ID@identity.userAssignedIdentities")).toEqual(["InvalidIdentityId", "FailedIdentityOperation"]);
    expect(expectedCodes("pool", "POOL_IDENTITY_TYPE_UNSUPPORTED@identity.type")).toBeUndefined();
  });

  test("a guard that refused a working configuration would be caught", () => {
    const worked: Outcome = { account: null, pool: null, job: null, tasks: [null] };
    const verdict = guardVerdict(toJson({ ...cfg, pool: { ...cfg.pool, identities: [0] } }, h.world, { pool: "render", job: "frames" }));
    expect(compare(verdict, worked)).toEqual([]);
    expect(compare({ ...verdict, pool: ["IDENTITY_NOT_IN_POOL@x"] }, worked).map((d) => d.layer)).toEqual(["pool"]);
  });
});
